import Foundation

/// Real milters nobody here wrote the protocol for: a libmilter C program and pymilter scripts,
/// built and started by the tests.
public enum RealMilters {
    /// Compiles `Tests/Fixtures/milters/testmilter.c` against Debian's libmilter (once per
    /// output directory) and returns the executable.
    public static func buildTestMilter(into directory: URL) throws -> URL {
        let source = TestPaths.fixtures.appendingPathComponent("milters/testmilter.c")
        let output = directory.appendingPathComponent("testmilter")
        if FileManager.default.isExecutableFile(atPath: output.path) { return output }
        guard FileManager.default.fileExists(atPath: "/usr/include/libmilter/mfapi.h") else {
            throw TestSupportError("libmilter-dev is not installed (run `make deps` or scripts/install-deps.sh)")
        }
        let result = try Subprocess.run(
            "/usr/bin/cc", ["-O2", "-Wall", "-o", output.path, source.path, "-lmilter", "-pthread"])
        guard result.status == 0 else { throw TestSupportError("compiling testmilter.c failed:\n\(result.output)") }
        return output
    }

    /// Starts the C test milter on a unix socket in `directory`; returns it once it listens.
    public static func startTestMilter(in directory: URL, name: String = "testmilter", options: [String]) throws
        -> (process: Subprocess, socketPath: String)
    {
        let executable = try buildTestMilter(into: directory)
        let socketPath = directory.appendingPathComponent("\(name).sock").path
        let process = try Subprocess(
            executable.path, ["unix:" + socketPath] + options, log: directory.appendingPathComponent("\(name).log"))
        try Subprocess.waitFor("\(name) to listen on \(socketPath)") {
            FileManager.default.fileExists(atPath: socketPath) || !process.process.isRunning
        }
        guard process.process.isRunning else { throw TestSupportError("\(name) exited: \(process.log)") }
        return (process, socketPath)
    }

    /// Starts a C test milter on a TCP port of 127.0.0.1.
    public static func startTestMilter(in directory: URL, name: String = "testmilter", port: Int, options: [String])
        throws -> Subprocess
    {
        let executable = try buildTestMilter(into: directory)
        let process = try Subprocess(
            executable.path, ["inet:\(port)@127.0.0.1"] + options, log: directory.appendingPathComponent("\(name).log"))
        try Subprocess.waitFor("\(name) to listen on port \(port)") {
            Ports.isListening(port) || !process.process.isRunning
        }
        guard process.process.isRunning else { throw TestSupportError("\(name) exited: \(process.log)") }
        return process
    }

    /// Debian's python interpreter, the one that can import python3-milter.
    public static let debianPython = "/usr/bin/python3"

    /// Starts a pymilter script from `Tests/Fixtures/milters/` on `spec` (libmilter spelling).
    public static func startPymilter(_ script: String, spec: String, in directory: URL, arguments: [String] = [])
        throws -> Subprocess
    {
        guard FileManager.default.fileExists(atPath: "/usr/lib/python3/dist-packages/Milter/__init__.py") else {
            throw TestSupportError("python3-milter is not installed (run `make deps` or scripts/install-deps.sh)")
        }
        let path = TestPaths.fixtures.appendingPathComponent("milters/\(script)").path
        return try Subprocess(
            debianPython, [path, spec] + arguments, log: directory.appendingPathComponent("\(script).log"))
    }
}

/// Loopback TCP ports for test peers.
public enum Ports {
    /// A port that was free a moment ago (bind to port 0, read it, close).
    public static func free() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw TestSupportError("bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// True when something accepts TCP connections on 127.0.0.1:`port`.
    public static func isListening(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
