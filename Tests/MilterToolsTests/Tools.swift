import Foundation
import MilterTestSupport

/// Runs the built milter-test-server and milter-test-client binaries.
enum Tools {
    /// The result of one milter-test-server run.
    struct Run {
        /// Exit status.
        var status: Int32
        /// Standard output and standard error.
        var output: String

        /// The output with the elapsed time replaced by `X` (it varies).
        var normalized: String { Tools.normalize(output) }
        /// The output's lines.
        var lines: [String] { output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
    }

    /// Runs milter-test-server with `arguments`.
    static func server(_ arguments: [String], input: Data? = nil) throws -> Run {
        let result = try Subprocess.run(try TestPaths.product("milter-test-server").path, arguments, input: input)
        return Run(status: result.status, output: result.output)
    }

    /// Starts milter-test-client on a unix socket in `directory`; returns once it listens.
    static func startClient(_ arguments: [String], in directory: URL, name: String = "client") throws
        -> (process: Subprocess, spec: String)
    {
        let path = directory.appendingPathComponent("\(name).sock").path
        let process = try Subprocess(
            try TestPaths.product("milter-test-client").path, ["-s", "unix:" + path] + arguments,
            log: directory.appendingPathComponent("\(name).log"))
        try Subprocess.waitFor("milter-test-client to listen on \(path)") {
            canConnect(path) || !process.process.isRunning
        }
        guard process.process.isRunning else { throw TestSupportError("milter-test-client exited: \(process.log)") }
        return (process, "unix:" + path)
    }

    /// True when something accepts connections on the unix socket `path` (a stale socket file
    /// refuses them).
    static func canConnect(_ path: String) -> Bool {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0
            }
        }
    }

    /// Waits until the client has printed `finished` `count` times, then returns its output.
    static func clientOutput(_ client: Subprocess, finishedCount count: Int = 1) throws -> String {
        try Subprocess.waitFor("milter-test-client to print finished") {
            client.log.components(separatedBy: "finished\n").count > count
        }
        return client.log
    }

    /// `elapsed-time: 0.00123 seconds` becomes `elapsed-time: X seconds`; queue ids become `QUEUEID`.
    static func normalize(_ text: String) -> String {
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("elapsed-time: ") && line.hasSuffix(" seconds") {
                lines.append("elapsed-time: X seconds")
            } else if line.hasPrefix("  i="), line.count == 15 {
                lines.append("  i=QUEUEID")
            } else {
                lines.append(String(line))
            }
        }
        return lines.joined(separator: "\n")
    }
}
