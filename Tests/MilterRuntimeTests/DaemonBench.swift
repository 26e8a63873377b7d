import Foundation
import MilterTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A directory with a milter-manager.conf of its own, for starting the built `milter-manager`
/// as a real process and looking at what it did: its socket, PID file, log and exit status.
final class DaemonBench {
    let directory: URL
    let etc: URL
    var socket: String
    var pidFile: String
    var logPath: String
    /// Processes started by the bench (daemons, children), stopped by `tearDown`.
    private(set) var processes: [Subprocess] = []

    init(_ label: String = "bench") throws {
        directory = try TestPaths.makeTemporaryDirectory(label)
        etc = directory.appendingPathComponent("etc")
        try FileManager.default.createDirectory(at: etc, withIntermediateDirectories: true)
        socket = directory.appendingPathComponent("manager.sock").path
        pidFile = directory.appendingPathComponent("manager.pid").path
        logPath = directory.appendingPathComponent("manager.log").path
    }

    /// The current user's name (the daemon keeps it: no privilege drop unless `extra` says so).
    static var currentUser: String { String(cString: getpwuid(geteuid())!.pointee.pw_name) }

    /// The lines every configuration starts with.
    var baseConfiguration: String {
        """
        security.effective_user = "\(Self.currentUser)"
        manager.connection_spec = "unix:\(socket)"
        manager.pid_file = "\(pidFile)"
        log.use_syslog = false
        log.path = "\(logPath)"

        """
    }

    /// Writes milter-manager.conf: the base lines, `extra`, then a `define_milter` per child.
    func writeConfig(_ extra: String = "", children: [(name: String, spec: String)] = []) throws {
        var text = baseConfiguration + extra + "\n"
        for child in children {
            text += "define_milter(\"\(child.name)\") do |milter|\n  milter.connection_spec = \"\(child.spec)\"\nend\n"
        }
        try writeConfigText(text)
    }

    /// Writes milter-manager.conf as given.
    func writeConfigText(_ text: String) throws {
        try text.write(to: etc.appendingPathComponent("milter-manager.conf"), atomically: true, encoding: .utf8)
    }

    /// Starts `milter-manager --config-dir ETC --no-daemon ARGUMENTS` in the foreground (a child
    /// of the test: its exit status can be read).
    func start(_ arguments: [String] = [], name: String = "daemon") throws -> Subprocess {
        let process = try Subprocess(
            try TestPaths.product("milter-manager").path, ["--config-dir", etc.path, "--no-daemon"] + arguments,
            log: directory.appendingPathComponent("\(name).out"))
        processes.append(process)
        return process
    }

    /// Starts the daemon and waits until it says it listens; throws with its output when it exits.
    func startListening(_ arguments: [String] = [], name: String = "daemon") throws -> Subprocess {
        let process = try start(arguments, name: name)
        try Subprocess.waitFor("milter-manager to listen") {
            log.contains("[manager][start]") || !process.process.isRunning
        }
        guard process.process.isRunning else {
            throw TestSupportError("milter-manager exited \(process.process.terminationStatus): \(process.log)")
        }
        return process
    }

    /// Waits (bounded) for the process to exit; returns its status (128 + signal when killed).
    func waitForExit(_ process: Subprocess, timeout: Double = 15) throws -> Int32 {
        try Subprocess.waitFor("milter-manager to exit", timeout: timeout) { !process.process.isRunning }
        return process.process.terminationStatus
    }

    /// Runs one session with milter-test-server; returns its exit status and output.
    func session(_ extra: [String] = [], subject: String = "hello") throws -> (status: Int32, output: String) {
        try Subprocess.run(
            try TestPaths.product("milter-test-server").path,
            ["-s", "unix:" + socket, "--header", "Subject:" + subject, "--output-message", "--timeout", "20"] + extra)
    }

    /// Runs milter-manager once to completion (for errors at start-up).
    func run(_ arguments: [String] = ["--no-daemon"]) throws -> (status: Int32, output: String) {
        try Subprocess.run(try TestPaths.product("milter-manager").path, ["--config-dir", etc.path] + arguments)
    }

    /// The log file's text.
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Keeps `process` to be stopped by `tearDown`.
    func adopt(_ process: Subprocess) { processes.append(process) }

    /// Stops every process and removes the directory.
    func tearDown() {
        for process in processes { process.kill9() }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Device and inode of `path` (not following a link), nil when nothing is there.
    static func identity(_ path: String) -> [UInt64]? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return [UInt64(info.st_dev), UInt64(info.st_ino)]
    }

    /// User and system CPU time the process `pid` has used, in clock ticks (/proc/PID/stat).
    static func cpuTicks(_ pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // After "pid (comm)": state is field 3, utime field 14, stime field 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Int(fields[11]), let system = Int(fields[12]) else { return nil }
        return user + system
    }

    /// A unix socket file nobody listens on (bound, then closed without unlinking).
    static func makeStaleSocket(_ path: String) throws {
        let descriptor = try boundSocket(path)
        close(descriptor)
    }

    /// A unix socket listening at `path`; the caller closes the descriptor.
    static func listeningSocket(_ path: String) throws -> Int32 {
        let descriptor = try boundSocket(path)
        guard listen(descriptor, 16) == 0 else { throw TestSupportError("listen \(path): errno \(errno)") }
        return descriptor
    }

    private static func boundSocket(_ path: String) throws -> Int32 {
        let descriptor = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (offset, byte) in path.utf8.enumerated() { raw[offset] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else { throw TestSupportError("bind \(path): errno \(errno)") }
        return descriptor
    }

    /// Sends the MTA's negotiation on an open connection and waits (up to 10 s) for the reply's
    /// first bytes: the session is then under way in the daemon.
    static func negotiate(_ descriptor: Int32) -> Bool {
        let packet = FakeMilter.packet("O", [0, 0, 0, 6, 0, 0, 1, 0xFF, 0, 0, 0, 0])
        guard packet.withUnsafeBytes({ Glibc.write(descriptor, $0.baseAddress, $0.count) }) == packet.count else {
            return false
        }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 64)
        return read(descriptor, &buffer, buffer.count) > 4
    }

    /// Opens a unix stream connection to `path` and leaves it open (nothing sent); -1 on failure.
    static func connect(_ path: String) -> Int32 {
        let descriptor = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (offset, byte) in path.utf8.enumerated() { raw[offset] = byte }
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            close(descriptor)
            return -1
        }
        return descriptor
    }
}
