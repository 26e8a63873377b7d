import Foundation
import MilterTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// issue 9 class 9: out of file descriptors the daemon pauses accepting and says so (no busy
/// loop), and a log file that cannot be reopened (SIGUSR1 after the privilege drop) is reported
/// in the file still open, never silently lost.
@Suite("milter-manager resources", .serialized)
struct DaemonResourceTests {
    @Test func outOfDescriptorsPausesAcceptingInsteadOfSpinning() throws {
        let bench = try DaemonBench("emfile")
        defer { bench.tearDown() }
        try bench.writeConfig("manager.max_file_descriptors = 4096\nmanager.suspend_time_on_unacceptable = 1")
        let daemon = try bench.startListening()
        let limits = try String(contentsOfFile: "/proc/\(daemon.pid)/limits", encoding: .utf8)
        #expect(limits.contains(try #require(try Regex(#"Max open files +4096 +4096"#))))
        // Whatever it inherited, it has room for a few sessions only.
        let open = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(daemon.pid)/fd").count
        let lowered = try Subprocess.run(
            "/usr/bin/prlimit", ["--pid", "\(daemon.pid)", "--nofile=\(open + 6):\(open + 6)"])
        #expect(lowered.status == 0, "\(lowered.output)")
        var clients: [Int32] = []
        defer { for client in clients { close(client) } }
        for _ in 0..<60 {
            let client = DaemonBench.connect(bench.socket)
            if client >= 0 { clients.append(client) }
        }
        #expect(clients.count == 60, "the backlog takes every connection")
        try Subprocess.waitFor("the suspension to be logged") {
            bench.log.contains("[client][accept][suspend] cannot accept a connection: Too many open files")
        }
        // While it stays out of descriptors it must not retry at full speed: measured in CPU
        // time the daemon itself used, over a few seconds.
        let ticksPerSecond = Int(sysconf(Int32(_SC_CLK_TCK)))
        let before = DaemonBench.cpuTicks(daemon.pid) ?? 0
        usleep(3_000_000)
        let used = (DaemonBench.cpuTicks(daemon.pid) ?? Int.max) - before
        #expect(used < ticksPerSecond, "the daemon used \(used) ticks (\(ticksPerSecond)/s) while out of descriptors")
        let reports = bench.log.components(separatedBy: "[client][accept][suspend]").count - 1
        #expect(reports == 1, "the suspension is reported at most once a minute, got \(reports)")
        #expect(daemon.process.isRunning)

        for client in clients { close(client) }
        clients = []
        try Subprocess.waitFor("accepting to resume") { (try? bench.session().status) == 0 }
        kill(daemon.pid, SIGTERM)
        #expect(try bench.waitForExit(daemon) == 0)
    }

    /// What happens to the log file's path between rotations.
    enum Breakage: String, CaseIterable, CustomTestStringConvertible {
        /// A directory now stands at the path.
        case directoryAtPath
        /// The directory holding the log is gone.
        case directoryRemoved
        /// The directory no longer lets the effective user create the file (root still could).
        case permissionDenied

        var testDescription: String { rawValue }

        var expectedReason: String {
            switch self {
            case .directoryAtPath: return "it is a directory, not a file"
            case .directoryRemoved: return "No such file or directory"
            case .permissionDenied: return "Permission denied"
            }
        }
    }

    @Test(.enabled(if: geteuid() == 0, "needs root to drop privileges"), arguments: Breakage.allCases)
    func aLogReopenFailureAfterThePrivilegeDropIsReported(_ breakage: Breakage) throws {
        let bench = try DaemonBench("reopen")
        defer { bench.tearDown() }
        let nobody = getpwnam("nobody")!.pointee.pw_uid
        let state = bench.directory.appendingPathComponent("state")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: false)
        #expect(chown(state.path, nobody, gid_t.max) == 0)
        bench.logPath = state.appendingPathComponent("manager.log").path
        bench.pidFile = bench.directory.appendingPathComponent("unused.pid").path
        try bench.writeConfig("security.effective_user = \"nobody\"\nmanager.pid_file = nil")
        let daemon = try bench.startListening()

        // Rotation: the file is moved away, then the path is broken.
        var oldLog = state.appendingPathComponent("manager.log.1").path
        #expect(rename(bench.logPath, oldLog) == 0)
        switch breakage {
        case .directoryAtPath:
            try FileManager.default.createDirectory(atPath: bench.logPath, withIntermediateDirectories: false)
        case .directoryRemoved:
            let moved = bench.directory.appendingPathComponent("state.old")
            #expect(rename(state.path, moved.path) == 0)
            oldLog = moved.appendingPathComponent("manager.log.1").path
        case .permissionDenied:
            #expect(chmod(state.path, 0o555) == 0)
        }
        kill(daemon.pid, SIGUSR1)
        let old = { (try? String(contentsOfFile: oldLog, encoding: .utf8)) ?? "" }
        try Subprocess.waitFor("the reopen failure to be reported") { old().contains("[manager][log] cannot open") }
        #expect(
            old().contains("cannot open the log file \(bench.logPath): \(breakage.expectedReason); still writing"),
            "\(old())")
        // Lines keep going to the file open until now.
        #expect(try bench.session().status == 0)
        try Subprocess.waitFor("the session's statistics in the old file") {
            old().contains("[statistics] [session][end]")
        }
        #expect(daemon.process.isRunning)
        kill(daemon.pid, SIGTERM)
        #expect(try bench.waitForExit(daemon) == 0)
    }

    @Test(.enabled(if: geteuid() == 0, "needs root to drop privileges"))
    func aLogReopenAfterRotationCreatesTheFileAsTheEffectiveUser() throws {
        let bench = try DaemonBench("rotate")
        defer { bench.tearDown() }
        let nobody = getpwnam("nobody")!.pointee.pw_uid
        let state = bench.directory.appendingPathComponent("state")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: false)
        #expect(chown(state.path, nobody, gid_t.max) == 0)
        bench.logPath = state.appendingPathComponent("manager.log").path
        try bench.writeConfig("security.effective_user = \"nobody\"\nmanager.pid_file = nil")
        let daemon = try bench.startListening()
        #expect(rename(bench.logPath, bench.logPath + ".1") == 0)
        kill(daemon.pid, SIGUSR1)
        try Subprocess.waitFor("the new log file") { FileManager.default.fileExists(atPath: bench.logPath) }
        #expect(try bench.session().status == 0)
        try Subprocess.waitFor("the session in the new file") { bench.log.contains("[statistics] [session][end]") }
        var info = stat()
        #expect(stat(bench.logPath, &info) == 0 && info.st_uid == nobody)
        kill(daemon.pid, SIGTERM)
        #expect(try bench.waitForExit(daemon) == 0)
    }
}
