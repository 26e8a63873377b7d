import Foundation
import MilterTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The systemd unit reads the original milter manager's variables from the defaults file
/// (issue 11 §3): run its ExecStart as systemd would (Environment=, then the EnvironmentFile,
/// `$$` unescaped) and the daemon listens on the CONNECTION_SPEC written there.
@Suite("systemd unit", .serialized)
struct SystemdUnitTests {
    /// `KEY=VALUE` lines as systemd's EnvironmentFile= reads them: comments and blank lines
    /// skipped, one pair of surrounding quotes removed.
    static func environmentFile(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#"), !line.hasPrefix(";"), let equals = line.firstIndex(of: "=")
            else { continue }
            var value = String(line[line.index(after: equals)...])
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            result[String(line[..<equals])] = value
        }
        return result
    }

    /// The unit's `Environment=` assignments (space-separated `KEY=VALUE` words).
    static func environmentLines(_ unit: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in unit.split(separator: "\n") where line.hasPrefix("Environment=") {
            for word in line.dropFirst("Environment=".count).split(separator: " ") {
                guard let equals = word.firstIndex(of: "=") else { continue }
                result[String(word[..<equals])] = String(word[word.index(after: equals)...])
            }
        }
        return result
    }

    @Test(arguments: [false, true])
    func connectionSpecFromTheDefaultsFileIsTheSocketTheDaemonListensOn(systemdSetsUser: Bool) throws {
        let directory = try TestPaths.makeTemporaryDirectory("unitenv")
        defer { try? FileManager.default.removeItem(at: directory) }
        let etc = directory.appendingPathComponent("etc")
        try FileManager.default.createDirectory(at: etc, withIntermediateDirectories: true)
        // The configuration names another socket: the defaults file must win.
        try "manager.connection_spec = \"unix:\(directory.path)/from-conf.sock\"\nlog.use_syslog = false\n"
            .write(to: etc.appendingPathComponent("milter-manager.conf"), atomically: true, encoding: .utf8)
        let socket = directory.path + "/from-default.sock"
        let pidFile = directory.path + "/milter-manager.pid"
        let user = String(cString: getpwuid(geteuid())!.pointee.pw_name)

        // The shipped Debian defaults file, edited as an administrator would (the original's lines).
        var defaults = try String(contentsOf: Packaging.file("default/milter-manager"), encoding: .utf8)
        defaults += "\nCONNECTION_SPEC=unix:\(socket)\nUSER=\(user)\n"
        defaults += "OPTION_ARGS=\"--config-dir \(etc.path) --log-path \(directory.path)/manager.log\"\n"

        let unit = try String(contentsOf: Packaging.file("systemd/milter-manager.service"), encoding: .utf8)
        let execStart = try #require(unit.split(separator: "\n").first { $0.hasPrefix("ExecStart=") })
        #expect(execStart.hasPrefix("ExecStart=/bin/sh -c '") && execStart.hasSuffix("'"))
        var script = String(execStart.dropFirst("ExecStart=/bin/sh -c '".count).dropLast())
        script = script.replacingOccurrences(of: "$$", with: "$")
            .replacingOccurrences(of: "/usr/sbin/milter-manager", with: try TestPaths.product("milter-manager").path)
            .replacingOccurrences(of: "/run/milter-manager/milter-manager.pid", with: pidFile)

        var environment = ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"]
        if systemdSetsUser { environment["USER"] = "root" }
        environment.merge(Self.environmentLines(unit)) { _, new in new }
        environment.merge(Self.environmentFile(defaults)) { _, new in new }
        #expect(environment["USER"] == user)

        let start = try Subprocess.run("/bin/sh", ["-c", script], environment: environment)
        #expect(start.status == 0, "\(start.output)")
        defer {
            if let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
                let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                kill(pid, SIGTERM)
                try? Subprocess.waitFor("the daemon to stop", timeout: 10) { kill(pid, 0) != 0 }
            }
        }
        #expect(FileManager.default.fileExists(atPath: socket))
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/from-conf.sock"))
        let session = try Subprocess.run(
            try TestPaths.product("milter-test-server").path, ["-s", "unix:" + socket, "--timeout", "10"])
        #expect(session.status == 0, "\(session.output)")
    }

    /// With every variable left as shipped (commented out), no option is passed for them: the
    /// configuration decides.
    @Test func theShippedDefaultsPassNoOption() throws {
        for name in ["default/milter-manager", "sysconfig/milter-manager"] {
            let values = Self.environmentFile(try String(contentsOf: Packaging.file(name), encoding: .utf8))
            for key in ["CONNECTION_SPEC", "USER", "GROUP", "SOCKET_GROUP"] {
                #expect(values[key] == nil, "\(name) sets \(key)")
            }
            #expect(values["OPTION_ARGS"] == "")
        }
    }
}
