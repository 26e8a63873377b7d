import Foundation
import MilterTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The `milter-manager` process: --daemon, PID file, SIGHUP reload, SIGTERM, bad configuration.
@Suite("milter-manager process", .serialized)
struct DaemonTests {
    final class Setup {
        let directory: URL
        let etc: URL
        let socket: String
        let pidFile: String
        var children: [Subprocess] = []
        var childSockets: [String: String] = [:]

        init() throws {
            directory = try TestPaths.makeTemporaryDirectory("daemon")
            etc = directory.appendingPathComponent("etc")
            try FileManager.default.createDirectory(at: etc, withIntermediateDirectories: true)
            socket = directory.appendingPathComponent("manager.sock").path
            pidFile = directory.appendingPathComponent("manager.pid").path
        }

        func startChild(_ name: String, header: String) throws {
            let (process, path) = try RealMilters.startTestMilter(
                in: directory, name: name, options: ["--add-header", header])
            children.append(process)
            childSockets[name] = path
        }

        func writeConfig(milters: [String], extra: String = "") throws {
            var text = """
                security.effective_user = "\(String(cString: getpwuid(geteuid())!.pointee.pw_name))"
                manager.connection_spec = "unix:\(socket)"
                manager.pid_file = "\(pidFile)"
                log.use_syslog = false
                log.path = "\(directory.appendingPathComponent("manager.log").path)"
                \(extra)

                """
            for name in milters {
                text +=
                    "define_milter(\"\(name)\") do |milter|\n  milter.connection_spec = \"unix:\(childSockets[name]!)\"\nend\n"
            }
            try text.write(to: etc.appendingPathComponent("milter-manager.conf"), atomically: true, encoding: .utf8)
        }

        func session(_ subject: String = "hello") throws -> String {
            try Subprocess.run(
                try TestPaths.product("milter-test-server").path,
                ["-s", "unix:" + socket, "--header", "Subject:" + subject, "--output-message", "--timeout", "10"]
            ).output
        }

        var log: String {
            (try? String(contentsOf: directory.appendingPathComponent("manager.log"), encoding: .utf8)) ?? ""
        }

        func tearDown() {
            for child in children { child.kill9() }
            try? FileManager.default.removeItem(at: directory)
        }
    }

    @Test func daemonWritesPidReloadsOnHupAndStopsCleanlyOnTerm() throws {
        let setup = try Setup()
        defer { setup.tearDown() }
        try setup.startChild("alpha", header: "X-Alpha:1")
        try setup.startChild("beta", header: "X-Beta:2")
        try setup.writeConfig(milters: ["alpha"])

        let started = try Subprocess.run(
            try TestPaths.product("milter-manager").path, ["--config-dir", setup.etc.path, "--daemon"])
        #expect(started.status == 0, "\(started.output)")
        // The parent returns only once the daemon listens and wrote its PID file.
        #expect(FileManager.default.fileExists(atPath: setup.socket))
        let pidText = try String(contentsOfFile: setup.pidFile, encoding: .utf8)
        let pid = Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(pid > 0 && kill(pid, 0) == 0)

        let first = try setup.session()
        #expect(first.contains("+ X-Alpha: 1"))
        #expect(!first.contains("X-Beta"))

        // SIGHUP: the next session uses the new configuration.
        try setup.writeConfig(milters: ["alpha", "beta"])
        kill(pid, SIGHUP)
        try Subprocess.waitFor("the reload to be logged") {
            setup.log.contains("[manager][reload] configuration reloaded")
        }
        let second = try setup.session()
        #expect(second.contains("+ X-Alpha: 1"))
        #expect(second.contains("+ X-Beta: 2"))

        // A broken configuration on SIGHUP keeps the running one.
        try "manager.conection_spec = 1\n".write(
            to: setup.etc.appendingPathComponent("milter-manager.conf"), atomically: true, encoding: .utf8)
        kill(pid, SIGHUP)
        try Subprocess.waitFor("the failed reload to be logged") { setup.log.contains("keeping the running one") }
        #expect(try setup.session().contains("+ X-Beta: 2"))

        kill(pid, SIGTERM)
        try Subprocess.waitFor("the daemon to exit") { kill(pid, 0) != 0 }
        #expect(!FileManager.default.fileExists(atPath: setup.socket))
        #expect(!FileManager.default.fileExists(atPath: setup.pidFile))
        #expect(setup.log.contains("[statistics] [session][end][end-of-message][accept]"))
    }

    @Test func daemonReportsWhyItCannotListen() throws {
        let setup = try Setup()
        defer { setup.tearDown() }
        try setup.startChild("alpha", header: "X-Alpha:1")
        // A directory that no run (nor another machine state) can have created.
        let missingDirectory = setup.directory.appendingPathComponent("no-such-directory").path
        let missing = missingDirectory + "/x.sock"
        try setup.writeConfig(milters: ["alpha"], extra: "manager.connection_spec = \"unix:\(missing)\"")
        let result = try Subprocess.run(
            try TestPaths.product("milter-manager").path, ["--config-dir", setup.etc.path, "--daemon"])
        #expect(result.status == 1)
        #expect(result.output.contains("milter-manager: cannot listen on unix:\(missing)"))
        #expect(!FileManager.default.fileExists(atPath: missingDirectory))
    }

    @Test func aConfigurationErrorExits78AndNamesFileAndLine() throws {
        let setup = try Setup()
        defer { setup.tearDown() }
        try "# comment\nmanager.conection_spec = \"inet:1\"\n".write(
            to: setup.etc.appendingPathComponent("milter-manager.conf"), atomically: true, encoding: .utf8)
        let result = try Subprocess.run(
            try TestPaths.product("milter-manager").path, ["--config-dir", setup.etc.path, "--no-daemon"])
        #expect(result.status == 78)
        #expect(result.output.contains("milter-manager.conf:2"))
        #expect(result.output.contains("manager.conection_spec"))
    }
}
