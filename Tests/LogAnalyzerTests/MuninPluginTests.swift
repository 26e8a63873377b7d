import Foundation
import MilterTestSupport
import Testing

/// packaging/munin through Debian's munin-run: the wildcard plugin on the analyzer's files of
/// the original's log, and the memory plugin on a running daemon.
@Suite(
    "Munin plugins", .serialized,
    .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/munin-run"), "munin-node is not installed"))
struct MuninPluginTests {
    static let plugins = TestPaths.packageRoot.appendingPathComponent("packaging/munin")

    final class Bench {
        let directory: URL
        let services: URL
        let configuration: URL
        let logs: URL

        init(environment: [String: String]) throws {
            directory = try TestPaths.makeTemporaryDirectory("munin")
            services = directory.appendingPathComponent("plugins")
            configuration = directory.appendingPathComponent("plugin-conf.d")
            logs = directory.appendingPathComponent("log")
            for folder in [services, configuration] {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            }
            let settings = environment.sorted { $0.key < $1.key }.map { "env.\($0.key) \($0.value)" }
            try (["[milter_manager_*]"] + settings).joined(separator: "\n").appending("\n")
                .write(to: configuration.appendingPathComponent("milter-manager"), atomically: true, encoding: .utf8)
        }

        /// Links `service` to the plugin file `plugin`.
        func install(_ service: String, _ plugin: String) throws {
            try FileManager.default.createSymbolicLink(
                atPath: services.appendingPathComponent(service).path,
                withDestinationPath: MuninPluginTests.plugins.appendingPathComponent(plugin).path)
        }

        func run(_ service: String, _ arguments: String...) throws -> (status: Int32, output: String, error: String) {
            try Subprocess.capture(
                "/usr/sbin/munin-run",
                ["--servicedir", services.path, "--sconfdir", configuration.path, service] + arguments)
        }

        /// `NAME.value V` lines as a dictionary (nil for U).
        func values(_ output: String) -> [String: Double?] {
            var values: [String: Double?] = [:]
            for line in output.split(separator: "\n") {
                let parts = line.split(separator: " ")
                guard parts.count == 2, parts[0].hasSuffix(".value") else { continue }
                values[String(parts[0].dropLast(".value".count))] = Double(parts[1])
            }
            return values
        }

        func tearDown() { try? FileManager.default.removeItem(at: directory) }
    }

    @Test func statusAndReportPluginsReadTheAnalyzersFiles() throws {
        let bench = try Bench(environment: ["logdir": "/nonexistent"])
        defer { bench.tearDown() }
        try bench.install("milter_manager_", "milter_manager_")
        try bench.install("milter_manager_status", "milter_manager_")
        try bench.install("milter_manager_report_milter-greylist", "milter_manager_")
        // Without files: autoconf says no and why, and exits 0 as Munin wants.
        let missing = try bench.run("milter_manager_status", "autoconf")
        #expect(missing.status == 0)
        #expect(missing.output.hasPrefix("no ("), "\(missing.output)")

        let zone = "Asia/Tokyo"
        let log = TestPaths.fixtures.appendingPathComponent("logs/original/mail-20090715-1.log")
        let analyzed = try AnalyzerProcess.run(
            [
                "--log", log.path, "--output-directory", bench.logs.path,
                "--now", String(AnalyzerProcess.seconds("2009-07-15 03:00:00", zone: zone)),
            ], zone: zone)
        #expect(analyzed.status == 0, "\(analyzed.error)")
        let configured = try Bench(environment: ["logdir": bench.logs.path])
        defer { configured.tearDown() }
        for (service, plugin) in [
            ("milter_manager_", "milter_manager_"), ("milter_manager_status", "milter_manager_"),
            ("milter_manager_report_milter-greylist", "milter_manager_"),
        ] { try configured.install(service, plugin) }

        #expect(try configured.run("milter_manager_status", "autoconf").output == "yes\n")
        let suggestions = try configured.run("milter_manager_", "suggest")
        #expect(suggestions.status == 0)
        let suggested = Set(suggestions.output.split(separator: "\n").map(String.init))
        #expect(suggested.isSuperset(of: ["status", "report", "status_milter-greylist", "report_spamass-milter"]))

        let config = try configured.run("milter_manager_status", "config")
        #expect(config.status == 0, "\(config.error)")
        #expect(config.output.contains("graph_title milter manager: status\n"))
        #expect(config.output.contains("graph_category milter-manager\n"))
        #expect(config.output.contains("pass.draw AREA\n"))
        #expect(config.output.contains("temporary_failure.label Temp-Fail\n"))
        #expect(config.output.contains("smtp.draw LINE2\n"))

        // The values: each source's average of the 5 minutes before the last update.
        let file = bench.logs.appendingPathComponent("milter-manager.status.rrd")
        let last = try Subprocess.capture("/usr/bin/rrdtool", ["last", file.path]).output
        let end = Int64(last.trimmingCharacters(in: .whitespacesAndNewlines))!
        let rows = try AnalyzerProcess.fetch(file, start: end - 300, end: end).filter { $0.key <= end }
        #expect(rows.count == 5)
        let fetched = try configured.run("milter_manager_status")
        #expect(fetched.status == 0, "\(fetched.error)")
        let values = configured.values(fetched.output)
        for source in ["pass", "temporary_failure", "abort"] {
            let expected = rows.values.compactMap { $0[source] }.reduce(0, +) / 5
            #expect(values[source] == .some(expected), "\(source): \(fetched.output)")
        }
        #expect(values.keys.contains("smtp") && values.keys.contains("concurrent"))

        let report = try configured.run("milter_manager_report_milter-greylist", "config")
        #expect(report.output.contains("graph_title milter: report: milter-greylist\n"))
        #expect(report.output.contains("greylisting_pass.label Greylisting (pass)\n"))
        #expect(try configured.values(configured.run("milter_manager_report_milter-greylist").output).count == 15)
    }

    @Test func memoryPluginReadsTheDaemonsResidentMemory() throws {
        let directory = try TestPaths.makeTemporaryDirectory("munin-daemon")
        defer { try? FileManager.default.removeItem(at: directory) }
        let pidFile = directory.appendingPathComponent("manager.pid")
        let etc = directory.appendingPathComponent("etc")
        try FileManager.default.createDirectory(at: etc, withIntermediateDirectories: true)
        try """
        security.effective_user = "\(String(cString: getpwuid(geteuid())!.pointee.pw_name))"
        manager.connection_spec = "unix:\(directory.path)/manager.sock"
        manager.pid_file = "\(pidFile.path)"
        log.use_syslog = false

        """.write(to: etc.appendingPathComponent("milter-manager.conf"), atomically: true, encoding: .utf8)
        let bench = try Bench(environment: ["pidfile": pidFile.path])
        defer { bench.tearDown() }
        try bench.install("milter_manager_memory", "milter_manager_memory")
        #expect(try bench.run("milter_manager_memory", "autoconf").output.hasPrefix("no ("))
        #expect(bench.values(try bench.run("milter_manager_memory").output) == ["memory": Double?.none])

        let daemon = try Subprocess(
            try TestPaths.product("milter-manager").path, ["--config-dir", etc.path, "--no-daemon"],
            log: directory.appendingPathComponent("manager.out"))
        defer { daemon.stop() }
        try Subprocess.waitFor("the PID file") { FileManager.default.fileExists(atPath: pidFile.path) }
        #expect(try bench.run("milter_manager_memory", "autoconf").output == "yes\n")
        let config = try bench.run("milter_manager_memory", "config")
        #expect(config.output.contains("graph_vlabel bytes\n") && config.output.contains("memory.type GAUGE\n"))
        let status = try String(contentsOfFile: "/proc/\(daemon.pid)/status", encoding: .utf8)
        let kilobytes = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }?
            .split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Double($0) }
        let reported = bench.values(try bench.run("milter_manager_memory").output)["memory"] ?? nil
        // Same process, read twice: the same order of magnitude (it may grow a little between).
        #expect(reported != nil && kilobytes != nil)
        if let reported, let kilobytes {
            #expect(reported > kilobytes * 1024 / 2 && reported < kilobytes * 1024 * 2)
        }

        // A stale PID file naming another program's process gives U, never its memory.
        try "\(getpid())\n".write(to: pidFile, atomically: true, encoding: .utf8)
        #expect(bench.values(try bench.run("milter_manager_memory").output) == ["memory": Double?.none])
    }
}
