import Foundation
import MilterSupport

/// A process spawned with `posix_spawn` and reaped with `waitpid` on its own pid.
///
/// Foundation's `Process` is not used: on Linux it reaps children from one monitor thread
/// that calls a blocking `waitpid` when it believes a child ended, and under the test
/// runner's parallel spawning that thread was seen blocked on a child still running, so that
/// every other test waiting for a process hung. Here each caller waits for its own child.
public final class SpawnedProcess: @unchecked Sendable {
    /// The process id.
    public let processIdentifier: pid_t
    private let lock = NSLock()
    private var exitStatus: Int32?

    /// Starts `executable` with standard input, output and error on the given descriptors;
    /// every signal starts with its default action and none is blocked.
    init(
        _ executable: String, _ arguments: [String], environment: [String: String]?, input: Int32, output: Int32,
        error: Int32
    ) throws {
        var merged = ProcessInfo.processInfo.environment
        if let environment { merged.merge(environment) { $1 } }
        let spawned = ProcessSpawn.spawn(
            executable: executable, argv: [executable] + arguments,
            environment: merged.map { "\($0.key)=\($0.value)" },
            descriptors: [(input, 0), (output, 1), (error, 2)])
        switch spawned {
        case .success(let pid): processIdentifier = pid
        case .failure(let failure): throw TestSupportError("cannot start \(executable): \(failure)")
        }
    }

    /// Whether it has not exited yet (reaps it when it has).
    public var isRunning: Bool { reap(blocking: false) == nil }

    /// The exit status, or 128 + the signal that ended it; -1 while it runs.
    public var terminationStatus: Int32 { reap(blocking: false) ?? -1 }

    /// Waits until it exits.
    public func waitUntilExit() { _ = reap(blocking: true) }

    private func reap(blocking: Bool) -> Int32? {
        lock.lock()
        defer { lock.unlock() }
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        while true {
            let result = waitpid(processIdentifier, &status, blocking ? 0 : WNOHANG)
            if result == processIdentifier { break }
            if result < 0 && errno == EINTR { continue }
            return nil
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG spelled out (macros are not imported).
        let signal = status & 0x7f
        exitStatus = signal == 0 ? (status >> 8) & 0xff : 128 + signal
        return exitStatus
    }
}

/// A child process started by a test; stopped (SIGTERM, then SIGKILL) by `stop()`.
public final class Subprocess: @unchecked Sendable {
    /// The running process.
    public let process: SpawnedProcess
    /// Where its standard output and error go.
    public let logURL: URL

    /// Starts `executable` with `arguments`; output goes to `logURL`.
    public init(_ executable: String, _ arguments: [String], log logURL: URL, environment: [String: String]? = nil)
        throws
    {
        let log = open(logURL.path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o644)
        guard log >= 0 else { throw TestSupportError("cannot create \(logURL.path): errno \(errno)") }
        defer { close(log) }
        let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { close(null) }
        process = try SpawnedProcess(
            executable, arguments, environment: environment, input: null, output: log, error: log)
        self.logURL = logURL
    }

    /// The process id.
    public var pid: Int32 { process.processIdentifier }

    /// What it wrote so far.
    public var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    /// Sends SIGTERM, waits up to `grace` seconds, then SIGKILL; waits until it is gone.
    public func stop(grace: Double = 2) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(grace)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// Kills it at once (SIGKILL) and waits until it is gone.
    public func kill9() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { stop(grace: 1) }

    /// Runs a command to completion; returns exit status and combined output.
    @discardableResult
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
        input: Data? = nil
    ) throws -> (status: Int32, output: String) {
        let result = try capture(executable, arguments, environment: environment, input: input, combined: true)
        return (result.status, result.output)
    }

    /// Runs a command to completion; returns exit status, standard output and standard error
    /// (both in `output` when `combined`). Output goes through unlinked temporary files, so a
    /// daemon the command leaves behind holding them never blocks the caller.
    public static func capture(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
        input: Data? = nil, combined: Bool = false
    ) throws -> (status: Int32, output: String, error: String) {
        let output = try TemporaryFile()
        let error = combined ? output : try TemporaryFile()
        let stdin = try TemporaryFile()
        if let input { try stdin.write(input) }
        let process = try SpawnedProcess(
            executable, arguments, environment: environment, input: stdin.descriptor, output: output.descriptor,
            error: error.descriptor)
        process.waitUntilExit()
        return (process.terminationStatus, try output.contents(), combined ? "" : try error.contents())
    }

    /// Polls `condition` every 20 ms for up to `timeout` seconds.
    public static func waitFor(_ what: String, timeout: Double = 15, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            if Date() > deadline { throw TestSupportError("timed out after \(timeout)s waiting for \(what)") }
            usleep(20_000)
        }
    }
}

/// An unlinked temporary file (close-on-exec, append mode): written by a child, read back from the start.
final class TemporaryFile {
    let descriptor: Int32

    init() throws {
        var template = Array("/tmp/mm-output-XXXXXX".utf8CString)
        descriptor = mkstemp(&template)
        guard descriptor >= 0 else { throw TestSupportError("mkstemp failed: errno \(errno)") }
        // (mkostemp is not imported; a child spawned in between may inherit it, harmlessly.)
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        _ = fcntl(descriptor, F_SETFL, O_APPEND)
        unlink(String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    deinit { close(descriptor) }

    /// Appends `data` and rewinds, for use as standard input.
    func write(_ data: Data) throws {
        let written = data.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard written == data.count else { throw TestSupportError("cannot write standard input: errno \(errno)") }
        lseek(descriptor, 0, SEEK_SET)
    }

    /// Everything written to it.
    func contents() throws -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        var offset: off_t = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, offset) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw TestSupportError("cannot read output: errno \(errno)") }
            if count == 0 { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(contentsOf: buffer[0..<count])
            offset += off_t(count)
        }
    }
}
