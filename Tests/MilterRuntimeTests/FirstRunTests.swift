import Foundation
import MilterTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 11 §1-2: started by hand as root on a machine where only the post-install hook would
/// have made the `milter-manager` user and the run directory, the daemon still starts.
@Suite("first run as root", .serialized)
struct FirstRunTests {
    static var isRoot: Bool { geteuid() == 0 }
    static var defaultUserMissing: Bool { getpwnam("milter-manager") == nil }

    /// A minimal configuration as an administrator writes it by hand: no user, no PID file.
    static func minimalConfiguration(directory: URL, ports: [Int], extra: String = "") -> String {
        """
        security.privilege_mode = false
        manager.connection_spec = "unix:\(directory.path)/manager.sock"
        log.use_syslog = false
        \(extra)
        define_milter("first") do |milter|
          milter.connection_spec = "inet:\(ports[0])@[127.0.0.1]"
        end
        define_milter("second") do |milter|
          milter.connection_spec = "inet:\(ports[1])@[127.0.0.1]"
        end

        """
    }

    @Test(.enabled(if: isRoot && defaultUserMissing, "needs root and no milter-manager user"))
    func withoutTheUserAndTheRunDirectoryItStartsAsNobodyWithOneWarning() throws {
        let directory = try TestPaths.makeTemporaryDirectory("firstrun")
        defer { try? FileManager.default.removeItem(at: directory) }
        let ports = [try Ports.free(), try Ports.free()]
        let first = try RealMilters.startTestMilter(
            in: directory, name: "first", port: ports[0], options: ["--add-header", "X-First:1"])
        defer { first.kill9() }
        let second = try RealMilters.startTestMilter(
            in: directory, name: "second", port: ports[1], options: ["--add-header", "X-Second:2"])
        defer { second.kill9() }
        // The root holds the configuration; the Debian default PID file lands under it, in
        // a run directory that does not exist yet.
        let root = directory.appendingPathComponent("root")
        let etc = root.appendingPathComponent("etc/milter-manager")
        try FileManager.default.createDirectory(at: etc, withIntermediateDirectories: true)
        try Self.minimalConfiguration(directory: directory, ports: ports).write(
            to: etc.appendingPathComponent("milter-manager.conf"), atomically: true, encoding: .utf8)
        let runDirectory = root.path + "/run/milter-manager"
        try FileManager.default.createDirectory(atPath: root.path + "/run", withIntermediateDirectories: true)
        #expect(!FileManager.default.fileExists(atPath: runDirectory))

        let daemon = try Subprocess(
            try TestPaths.product("milter-manager").path,
            ["--root", root.path, "--platform", "debian", "--no-daemon", "--verbose"],
            log: directory.appendingPathComponent("daemon.log"))
        defer { daemon.stop() }
        let socket = directory.path + "/manager.sock"
        try Subprocess.waitFor("the manager to listen") {
            FileManager.default.fileExists(atPath: socket) || !daemon.process.isRunning
        }
        #expect(daemon.process.isRunning, "\(daemon.log)")

        let session = try Subprocess.run(
            try TestPaths.product("milter-test-server").path,
            ["-s", "unix:" + socket, "--output-message", "--timeout", "20"])
        #expect(session.status == 0, "\(session.output)")
        #expect(session.output.contains("+ X-First: 1") && session.output.contains("+ X-Second: 2"))

        // The run directory was made for the effective user, nobody, who wrote the PID file.
        let nobody = try #require(getpwnam("nobody")).pointee.pw_uid
        var info = stat()
        #expect(stat(runDirectory, &info) == 0 && info.st_uid == nobody && info.st_mode & 0o777 == 0o755)
        #expect(stat(runDirectory + "/milter-manager.pid", &info) == 0 && info.st_uid == nobody)
        let pid = try String(contentsOfFile: runDirectory + "/milter-manager.pid", encoding: .utf8)
        #expect(Int32(pid.trimmingCharacters(in: .whitespacesAndNewlines)) == daemon.pid)
        #expect(stat("/proc/\(daemon.pid)", &info) == 0 && info.st_uid == nobody)

        let warnings = daemon.log.split(separator: "\n").filter { $0.contains("[manager][user]") }
        #expect(warnings.count == 1, "\(daemon.log)")
        #expect(warnings.first?.contains("useradd --system") == true)
    }

    @Test(
        .enabled(if: isRoot, "needs root"),
        arguments: [
            ("security.effective_user = \"no-such-user-xyz\"", ":4: unknown user \"no-such-user-xyz\""),
            ("security.effective_group = \"no-such-group-xyz\"", ":4: unknown group \"no-such-group-xyz\""),
        ])
    func aConfiguredAccountThatDoesNotExistIsAConfigurationError(_ line: String, _ message: String) throws {
        let directory = try TestPaths.makeTemporaryDirectory("badacct")
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = Self.minimalConfiguration(directory: directory, ports: [1, 2], extra: line)
        try text.write(to: directory.appendingPathComponent("milter-manager.conf"), atomically: true, encoding: .utf8)
        let result = try Subprocess.run(
            try TestPaths.product("milter-manager").path,
            ["--config-dir", directory.path, "--platform", "debian", "--no-daemon"])
        #expect(result.status == 78, "\(result.output)")
        #expect(result.output.contains(directory.path + "/milter-manager.conf" + message), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/manager.sock"))
    }

    @Test(.enabled(if: isRoot, "needs root"))
    func aNumericUserIdIsAccepted() throws {
        let directory = try TestPaths.makeTemporaryDirectory("numeric")
        defer { try? FileManager.default.removeItem(at: directory) }
        let nobody = try #require(getpwnam("nobody")).pointee.pw_uid
        let text = Self.minimalConfiguration(directory: directory, ports: [try Ports.free(), try Ports.free()])
        try text.write(to: directory.appendingPathComponent("milter-manager.conf"), atomically: true, encoding: .utf8)
        let daemon = try Subprocess(
            try TestPaths.product("milter-manager").path,
            ["--config-dir", directory.path, "--platform", "unknown", "--no-daemon", "-u", String(nobody)],
            log: directory.appendingPathComponent("daemon.log"))
        defer { daemon.stop() }
        try Subprocess.waitFor("the manager to listen") {
            FileManager.default.fileExists(atPath: directory.path + "/manager.sock") || !daemon.process.isRunning
        }
        // The socket appears before the switch (it is bound as root): wait for the switch.
        var info = stat()
        try? Subprocess.waitFor("the manager to switch users") {
            stat("/proc/\(daemon.pid)", &info) != 0 || info.st_uid == nobody
        }
        #expect(stat("/proc/\(daemon.pid)", &info) == 0 && info.st_uid == nobody, "\(daemon.log)")
    }
}
