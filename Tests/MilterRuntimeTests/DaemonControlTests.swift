import Foundation
import MilterControl
import MilterTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `milter-manager-ctl` against the built daemon over its control socket (issue 16), with a
/// real libmilter child: `status` before and after the child dies, `reload` of a good and of
/// a broken file, `reopen-logs`; and the warning at load for a key of the original that has
/// no meaning here.
@Suite("milter-manager-ctl against a running daemon", .serialized)
struct DaemonControlTests {
    @Test func statusShowsAChildBeforeAndAfterItDies() throws {
        let bench = try DaemonBench("ctl-status")
        defer { bench.tearDown() }
        let (milter, path) = try RealMilters.startTestMilter(
            in: bench.directory, options: ["--add-header", "X-Child:1"])
        bench.adopt(milter)
        try bench.writeConfig(
            "controller.connection_spec = \"\(bench.controlSpec)\"\nmanager.n_workers = 4\n",
            children: [("child", "unix:" + path)])
        let daemon = try bench.startListening()
        #expect(
            bench.log.contains("manager.n_workers is ignored: SwiftNIO already runs one event loop per core"),
            "\(bench.log)")

        #expect(try bench.session().output.contains("+ X-Child: 1"))
        var status = try bench.status()
        #expect(status["version"]?.stringValue?.isEmpty == false)
        #expect((status["uptime_seconds"]?.numberValue ?? -1) >= 0)
        #expect(status["sessions_in_flight"]?.intValue == 0 && status["sessions_finished"]?.intValue == 1)
        #expect(status["pid"]?.intValue == Int(daemon.pid))
        var child = try bench.child("child")
        #expect(child["enabled"]?.boolValue == true && child["reachable"]?.boolValue == true)
        #expect(child["last_error"]?.isNull == true && child["started_by_manager"]?.boolValue == false)
        #expect(child["last_success_at"]?.stringValue != nil)

        milter.kill9()
        let meanwhile = try bench.session()
        #expect(meanwhile.output.hasPrefix("status: accept") && !meanwhile.output.contains("X-Child"), "\(meanwhile)")
        status = try bench.status()
        #expect(status["sessions_finished"]?.intValue == 2)
        child = try bench.child("child")
        #expect(child["reachable"]?.boolValue == false)
        #expect(child["last_error"]?.stringValue?.isEmpty == false, "\(child.text)")
        #expect(child["last_success_at"]?.stringValue != nil, "the last success is kept")

        let text = try bench.ctl(["status"])
        #expect(text.status == 0, "\(text.error)")
        #expect(text.output.hasPrefix("milter-manager "), "\(text.output)")
        #expect(text.output.contains("sessions: 0 in flight, 2 finished"), "\(text.output)")
        #expect(text.output.contains("\n  child: enabled, unreachable\n"), "\(text.output)")
        #expect(text.output.contains("privilege mode: off"), "\(text.output)")
        let children = try bench.ctl(["children"])
        #expect(children.status == 0 && children.output.hasPrefix("child: enabled, unreachable\n"), "\(children)")

        kill(daemon.pid, SIGTERM)
        #expect(try bench.waitForExit(daemon) == 0)
        let gone = try bench.ctl(["status"])
        #expect(gone.status == 1 && gone.error.hasPrefix("milter-manager-ctl: "), "\(gone)")
    }

    @Test func reloadAnswersWhetherTheNewFileIsInForce() throws {
        let bench = try DaemonBench("ctl-reload")
        defer { bench.tearDown() }
        let (milter, path) = try RealMilters.startTestMilter(
            in: bench.directory, options: ["--add-header", "X-Child:1"])
        bench.adopt(milter)
        let control = "controller.connection_spec = \"\(bench.controlSpec)\"\n"
        try bench.writeConfig(control, children: [("child", "unix:" + path)])
        let daemon = try bench.startListening()
        #expect(try bench.session().output.contains("+ X-Child: 1"))
        let file = bench.etc.appendingPathComponent("milter-manager.conf").path

        // Broken: the daemon keeps the configuration in force and ctl says why, with file:line.
        try bench.writeConfigText(bench.baseConfiguration + control + "define_milter(\"child\") do |milter|\n")
        for target in [["--connection-spec", bench.controlSpec], ["--config-dir", bench.etc.path]] {
            let broken = try bench.ctl(["reload"], target: target)
            #expect(broken.status == 1, "\(target): \(broken)")
            #expect(broken.output.isEmpty)
            #expect(broken.error.hasPrefix("milter-manager-ctl: "), "\(broken.error)")
            #expect(broken.error.contains(file + ":"), "\(target): \(broken.error)")
        }
        #expect(try bench.session().output.contains("+ X-Child: 1"), "the old configuration still serves")
        let lastReload = try bench.status()["last_reload"]
        #expect(lastReload?["loaded"]?.boolValue == false && lastReload?["reason"]?.stringValue?.contains(file) == true)
        #expect(try bench.ctl(["status"]).output.contains(": not loaded: "))

        // Good: the child is disabled, and the next session goes without it.
        try bench.writeConfigText(
            bench.baseConfiguration + control
                + "define_milter(\"child\") do |milter|\n  milter.connection_spec = \"unix:\(path)\"\n"
                + "  milter.enabled = false\nend\n")
        let good = try bench.ctl(["reload"])
        #expect(good.status == 0, "\(good)")
        #expect(good.output == "reloaded: the new configuration is in force (\(file))\n", "\(good.output)")
        let session = try bench.session()
        #expect(session.output.hasPrefix("status: ") && !session.output.contains("X-Child"), "\(session.output)")
        let status = try bench.status()
        #expect(status["last_reload"]?["loaded"]?.boolValue == true)
        #expect(status["configuration"]?["files"]?.arrayValue?.compactMap(\.stringValue) == [file])
        #expect(try bench.child("child")["enabled"]?.boolValue == false)

        // reopen-logs: the daemon writes to a new file at the old path.
        try FileManager.default.moveItem(atPath: bench.logPath, toPath: bench.logPath + ".1")
        let reopened = try bench.ctl(["reopen-logs"])
        #expect(reopened.status == 0 && reopened.output == "the log file was reopened\n", "\(reopened)")
        #expect(try bench.ctl(["reload"]).status == 0)
        try Subprocess.waitFor("the log to be written again") { bench.log.contains("[manager][reload]") }

        kill(daemon.pid, SIGTERM)
        #expect(try bench.waitForExit(daemon) == 0)
    }

    /// Bad usage of the client: 64, and nothing sent.
    static let misuse: [[String]] = [
        [], ["stop"], ["reload", "--json"], ["--connection-spec", "unix:/x", "--config-dir", "/etc", "status"],
        ["--connection-spec", "bogus:", "status"],
    ]

    @Test(arguments: misuse)
    func badUsageExits64(_ arguments: [String]) throws {
        let bench = try DaemonBench("ctl-usage")
        defer { bench.tearDown() }
        let result = try bench.ctl(arguments, target: [])
        #expect(result.status == 64, "\(arguments): \(result)")
        #expect(!result.error.isEmpty)
    }

    @Test func withoutAControlSocketItSaysHowToSetOne() throws {
        let bench = try DaemonBench("ctl-none")
        defer { bench.tearDown() }
        try bench.writeConfig()
        let result = try bench.ctl(["status"], target: ["--config-dir", bench.etc.path])
        #expect(result.status == 78, "\(result)")
        #expect(result.error.contains("controller.connection_spec is not set"), "\(result.error)")
    }
}
