import Foundation
import MilterTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// issue 9 class 7: the daemon never destroys or follows files. Only a stale socket is removed at
/// the socket path; the PID file and the log are opened without following links; a second
/// instance stops before it touches anything; at exit only what this process created goes.
@Suite("milter-manager does not destroy or follow files", .serialized)
struct DaemonFileSafetyTests {
    /// Something a careless administrator or an attacker leaves at a path the daemon uses.
    enum Occupant: String, CaseIterable, CustomTestStringConvertible {
        case regularFile, directory, symbolicLink, danglingLink, fifo

        var testDescription: String { rawValue }

        /// Creates it at `path`; a link points at `target` (a regular file for `symbolicLink`).
        func create(at path: String, target: String) throws {
            switch self {
            case .regularFile: try "smtpd_milters = keep me\n".write(toFile: path, atomically: false, encoding: .utf8)
            case .directory: try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
            case .symbolicLink:
                try "precious\n".write(toFile: target, atomically: false, encoding: .utf8)
                try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
            case .danglingLink: try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
            case .fifo: #expect(mkfifo(path, 0o644) == 0)
            }
        }

        /// What must still be true afterwards: the same inode at `path`, the target as it was.
        func expectUntouched(at path: String, target: String, identity: [UInt64]?, sourceLocation: SourceLocation) {
            #expect(DaemonBench.identity(path) == identity, "\(path) was replaced", sourceLocation: sourceLocation)
            switch self {
            case .regularFile:
                #expect(
                    (try? String(contentsOfFile: path, encoding: .utf8)) == "smtpd_milters = keep me\n",
                    sourceLocation: sourceLocation)
            case .symbolicLink:
                #expect(
                    (try? String(contentsOfFile: target, encoding: .utf8)) == "precious\n",
                    "the link's target was written", sourceLocation: sourceLocation)
            case .danglingLink:
                #expect(
                    !FileManager.default.fileExists(atPath: target), "created through the link",
                    sourceLocation: sourceLocation)
            case .directory, .fifo:
                break
            }
        }
    }

    @Test(arguments: Occupant.allCases)
    func aNonSocketAtTheSocketPathIsNeverRemoved(_ occupant: Occupant) throws {
        let bench = try DaemonBench("sockpath")
        defer { bench.tearDown() }
        let target = bench.directory.appendingPathComponent("target").path
        try occupant.create(at: bench.socket, target: target)
        let identity = DaemonBench.identity(bench.socket)
        try bench.writeConfig()
        let daemon = try bench.start()
        #expect(try bench.waitForExit(daemon) == 1)
        #expect(daemon.log.contains("cannot listen on unix:\(bench.socket): \(bench.socket) is "), "\(daemon.log)")
        #expect(daemon.log.contains("not a socket; it is left alone"), "\(daemon.log)")
        occupant.expectUntouched(at: bench.socket, target: target, identity: identity, sourceLocation: #_sourceLocation)
        #expect(!FileManager.default.fileExists(atPath: bench.pidFile))
    }

    @Test func aSocketSomeoneListensOnIsNotTakenOver() throws {
        let bench = try DaemonBench("livesock")
        defer { bench.tearDown() }
        let listener = try DaemonBench.listeningSocket(bench.socket)
        defer { close(listener) }
        let identity = DaemonBench.identity(bench.socket)
        try bench.writeConfig()
        let daemon = try bench.start()
        #expect(try bench.waitForExit(daemon) == 1)
        #expect(daemon.log.contains("another process listens on \(bench.socket)"), "\(daemon.log)")
        #expect(DaemonBench.identity(bench.socket) == identity)
        let client = DaemonBench.connect(bench.socket)
        #expect(client >= 0, "the other process's socket must still accept connections")
        if client >= 0 { close(client) }
    }

    @Test func aStaleSocketIsReplaced() throws {
        let bench = try DaemonBench("stalesock")
        defer { bench.tearDown() }
        try DaemonBench.makeStaleSocket(bench.socket)
        #expect(DaemonBench.connect(bench.socket) == -1, "a stale socket refuses connections")
        try bench.writeConfig()
        let daemon = try bench.startListening()
        #expect(bench.log.contains("removed the stale socket \(bench.socket)"))
        #expect(try bench.session().status == 0)
        kill(daemon.pid, SIGTERM)
        #expect(try bench.waitForExit(daemon) == 0)
        #expect(DaemonBench.identity(bench.socket) == nil)
    }

    /// A second instance: (its socket, its PID file) relative to the first one's.
    static let secondInstances: [(sameSocket: Bool, samePidFile: Bool, message: String)] = [
        (true, true, "is running: its PID file"),
        (false, true, "is running: its PID file"),
        (true, false, "another process listens on"),
    ]

    @Test(arguments: secondInstances)
    func aSecondInstanceStopsWithoutTouchingTheFirst(sameSocket: Bool, samePidFile: Bool, message: String) throws {
        let bench = try DaemonBench("second")
        defer { bench.tearDown() }
        try bench.writeConfig()
        let first = try bench.startListening()
        let socketIdentity = DaemonBench.identity(bench.socket)
        let pidIdentity = DaemonBench.identity(bench.pidFile)
        let pidText = try String(contentsOfFile: bench.pidFile, encoding: .utf8)
        #expect(pidText == "\(first.pid)\n")

        var arguments: [String] = []
        let otherSocket = bench.directory.appendingPathComponent("other.sock").path
        let otherPid = bench.directory.appendingPathComponent("other.pid").path
        if !sameSocket { arguments += ["--connection-spec", "unix:" + otherSocket] }
        if !samePidFile { arguments += ["--pid-file", otherPid] }
        let second = try bench.start(arguments, name: "second")
        #expect(try bench.waitForExit(second) == 1)
        #expect(second.log.contains(message), "\(second.log)")
        if samePidFile { #expect(second.log.contains("(pid \(first.pid))"), "\(second.log)") }

        #expect(DaemonBench.identity(bench.socket) == socketIdentity)
        #expect(DaemonBench.identity(bench.pidFile) == pidIdentity)
        #expect(try String(contentsOfFile: bench.pidFile, encoding: .utf8) == pidText)
        #expect(!FileManager.default.fileExists(atPath: otherSocket), "the second instance left its socket behind")
        #expect(!FileManager.default.fileExists(atPath: otherPid))
        #expect(first.process.isRunning)
        #expect(try bench.session().status == 0)

        kill(first.pid, SIGTERM)
        #expect(try bench.waitForExit(first) == 0)
        #expect(DaemonBench.identity(bench.socket) == nil)
        #expect(DaemonBench.identity(bench.pidFile) == nil)
    }

    @Test(arguments: Occupant.allCases.filter { $0 != .regularFile })
    func aPidFileThatIsNotARegularFileIsRefused(_ occupant: Occupant) throws {
        let bench = try DaemonBench("pidfile")
        defer { bench.tearDown() }
        let target = bench.directory.appendingPathComponent("target").path
        try occupant.create(at: bench.pidFile, target: target)
        let identity = DaemonBench.identity(bench.pidFile)
        try bench.writeConfig()
        let daemon = try bench.start()
        #expect(try bench.waitForExit(daemon) == 1)
        #expect(daemon.log.contains("the PID file \(bench.pidFile) is "), "\(daemon.log)")
        occupant.expectUntouched(
            at: bench.pidFile, target: target, identity: identity, sourceLocation: #_sourceLocation)
        #expect(DaemonBench.identity(bench.socket) == nil, "the socket it bound is removed again")
    }

    @Test(arguments: ["99999\n", "garbage\u{0}\n", ""])
    func aStalePidFileNobodyLocksIsTakenOver(_ content: String) throws {
        let bench = try DaemonBench("stalepid")
        defer { bench.tearDown() }
        try content.write(toFile: bench.pidFile, atomically: false, encoding: .utf8)
        try bench.writeConfig()
        let daemon = try bench.startListening()
        #expect(try String(contentsOfFile: bench.pidFile, encoding: .utf8) == "\(daemon.pid)\n")
        kill(daemon.pid, SIGTERM)
        #expect(try bench.waitForExit(daemon) == 0)
        #expect(!FileManager.default.fileExists(atPath: bench.pidFile))
    }

    @Test func atExitOnlyWhatThisProcessCreatedIsRemoved() throws {
        let bench = try DaemonBench("replaced")
        defer { bench.tearDown() }
        try bench.writeConfig()
        let daemon = try bench.startListening()
        // Someone else takes both paths over while it runs.
        unlink(bench.socket)
        let listener = try DaemonBench.listeningSocket(bench.socket)
        defer { close(listener) }
        unlink(bench.pidFile)
        try "4242\n".write(toFile: bench.pidFile, atomically: false, encoding: .utf8)
        let socketIdentity = DaemonBench.identity(bench.socket)
        let pidIdentity = DaemonBench.identity(bench.pidFile)
        kill(daemon.pid, SIGTERM)
        #expect(try bench.waitForExit(daemon) == 0)
        #expect(DaemonBench.identity(bench.socket) == socketIdentity)
        #expect(DaemonBench.identity(bench.pidFile) == pidIdentity)
        #expect(bench.log.contains("is no longer the socket this process bound; left alone"))
        #expect(bench.log.contains("the PID file \(bench.pidFile) was replaced by another file; it is left alone"))
    }

    /// Log paths that cannot be a log file: refused at start with the path named, nothing
    /// followed or created elsewhere, no hang on a FIFO.
    @Test(arguments: Occupant.allCases.filter { $0 != .regularFile })
    func aLogPathThatIsNotAFileIsRefused(_ occupant: Occupant) throws {
        let bench = try DaemonBench("logpath")
        defer { bench.tearDown() }
        let target = bench.directory.appendingPathComponent("target").path
        try occupant.create(at: bench.logPath, target: target)
        let identity = DaemonBench.identity(bench.logPath)
        try bench.writeConfig()
        let daemon = try bench.start()
        #expect(try bench.waitForExit(daemon) == 1)
        #expect(daemon.log.contains("cannot open the log file \(bench.logPath): "), "\(daemon.log)")
        occupant.expectUntouched(
            at: bench.logPath, target: target, identity: identity, sourceLocation: #_sourceLocation)
        #expect(DaemonBench.identity(bench.socket) == nil)
        #expect(DaemonBench.identity(bench.pidFile) == nil)
    }

    @Test func aLogInADirectoryThatDoesNotExistIsRefused() throws {
        let bench = try DaemonBench("logdir")
        defer { bench.tearDown() }
        bench.logPath = bench.directory.appendingPathComponent("missing/manager.log").path
        try bench.writeConfig()
        let daemon = try bench.start()
        #expect(try bench.waitForExit(daemon) == 1)
        #expect(
            daemon.log.contains("cannot open the log file \(bench.logPath): No such file or directory"), "\(daemon.log)"
        )
    }

    /// Started as root with a user to drop to: the log file and the PID file are created by that
    /// user (never by root before the drop), and a socket the user cannot remove at exit is reported.
    @Test(.enabled(if: geteuid() == 0, "needs root to drop privileges"))
    func filesAreCreatedAfterThePrivilegeDrop() throws {
        let bench = try DaemonBench("drop")
        defer { bench.tearDown() }
        let nobody = getpwnam("nobody")!.pointee.pw_uid
        let state = bench.directory.appendingPathComponent("state")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: false)
        #expect(chown(state.path, nobody, gid_t.max) == 0)
        bench.logPath = state.appendingPathComponent("manager.log").path
        bench.pidFile = state.appendingPathComponent("manager.pid").path
        try bench.writeConfig("security.effective_user = \"nobody\"")
        let daemon = try bench.startListening()
        var info = stat()
        #expect(stat(bench.logPath, &info) == 0 && info.st_uid == nobody, "the log was created as uid \(info.st_uid)")
        #expect(stat(bench.pidFile, &info) == 0 && info.st_uid == nobody)
        #expect(try bench.session().status == 0)
        // The socket's directory belongs to root: the dropped process cannot remove it, and says so.
        kill(daemon.pid, SIGTERM)
        #expect(try bench.waitForExit(daemon) == 0)
        #expect(bench.log.contains("[manager][stop] cannot remove the socket \(bench.socket): Permission denied"))
        #expect(!FileManager.default.fileExists(atPath: bench.pidFile))
    }
}
