import Foundation
import MilterTestSupport
import Testing

/// Real sessions through the real daemon and real libmilter children (one spam checker that
/// rejects and tempfails by subject, one greylister, one child that is not there), the
/// daemon's own log file fed to the built analyzer, and the RRD contents read back with
/// `rrdtool fetch`.
@Suite("analyzer on the daemon's log", .serialized)
struct DaemonLogTests {
    final class Bench {
        let directory: URL
        let log: URL
        let socket: String
        var children: [Subprocess] = []
        var manager: Subprocess?

        init() throws {
            directory = try TestPaths.makeTemporaryDirectory("analyzer-daemon")
            log = directory.appendingPathComponent("manager.log")
            socket = directory.appendingPathComponent("manager.sock").path
            let (spamcheck, spamSocket) = try RealMilters.startTestMilter(
                in: directory, name: "spamcheck",
                options: [
                    "--add-header", "X-Spam-Flag:YES", "--reject-subject", "REJECTME", "--tempfail-subject", "TEMPME",
                ])
            children.append(spamcheck)
            let (greylist, greySocket) = try RealMilters.startTestMilter(
                in: directory, name: "greylist",
                options: ["--add-header", "X-Greylist:Delayed for 00:05:00 by milter-greylist-4.6.4"])
            children.append(greylist)
            let etc = directory.appendingPathComponent("etc")
            try FileManager.default.createDirectory(at: etc, withIntermediateDirectories: true)
            let config = """
                security.effective_user = "\(String(cString: getpwuid(geteuid())!.pointee.pw_name))"
                manager.connection_spec = "unix:\(socket)"
                manager.pid_file = nil
                log.use_syslog = false
                log.path = "\(log.path)"
                define_milter("spamcheck") do |milter|
                  milter.connection_spec = "unix:\(spamSocket)"
                end
                define_milter("greylist") do |milter|
                  milter.connection_spec = "unix:\(greySocket)"
                end
                define_milter("broken") do |milter|
                  milter.connection_spec = "unix:\(directory.path)/nobody-listens.sock"
                  milter.fallback_status = "accept"
                end

                """
            try config.write(to: etc.appendingPathComponent("milter-manager.conf"), atomically: true, encoding: .utf8)
            let manager = try Subprocess(
                try TestPaths.product("milter-manager").path, ["--config-dir", etc.path, "--no-daemon"],
                log: directory.appendingPathComponent("manager.out"))
            self.manager = manager
            try Subprocess.waitFor("milter-manager to listen") {
                FileManager.default.fileExists(atPath: self.socket) || !manager.process.isRunning
            }
            guard manager.process.isRunning else { throw TestSupportError("milter-manager exited: \(manager.log)") }
        }

        /// One message through the manager; milter-test-server's status line.
        func send(_ subject: String) throws -> String {
            try Subprocess.run(
                try TestPaths.product("milter-test-server").path,
                ["-s", "unix:" + socket, "--header", "Subject:" + subject, "--timeout", "10"]
            ).output
        }

        var logText: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

        func tearDown() {
            manager?.stop()
            for child in children { child.kill9() }
            try? FileManager.default.removeItem(at: directory)
        }
    }

    @Test func sessionsOfTheDaemonEndInTheGraphs() throws {
        let bench = try Bench()
        defer { bench.tearDown() }
        let start = Int64(Date().timeIntervalSince1970)
        for subject in ["hello", "hello again", "third hello"] {
            #expect(try bench.send(subject).contains("status: accept"))
        }
        for subject in ["please REJECTME", "REJECTME too"] {
            #expect(try bench.send(subject).contains("status: reject"))
        }
        for subject in ["TEMPME", "TEMPME again"] {
            #expect(try bench.send(subject).contains("status: temporary-failure"))
        }
        try Subprocess.waitFor("the seventh session's end line") {
            bench.logText.components(separatedBy: "[statistics] [session][end][").count == 8
        }
        bench.manager?.stop()
        let log = bench.logText
        func lines(_ parts: String...) -> Double {
            Double(log.split(separator: "\n").filter { line in parts.allSatisfy { line.contains($0) } }.count)
        }

        let output = bench.directory.appendingPathComponent("graphs")
        // "Now" two minutes on: the minutes of the sessions are complete.
        let now = Int64(Date().timeIntervalSince1970) + 120
        let run = try AnalyzerProcess.run(
            ["--log", bench.log.path, "--output-directory", output.path, "--now", String(now)])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.error.isEmpty, "\(run.error)")

        func sum(_ file: String, _ source: String) throws -> Double {
            try AnalyzerProcess.sum(output.appendingPathComponent(file), source, start: start - 600, end: now + 60)
        }
        func expectCounts() throws {
            #expect(try sum("session.rrd", "smtp") == 7, "\(log)")
            #expect(try sum("milter-manager.status.rrd", "accept") == lines("[session][end][", "][accept]["))
            #expect(try sum("milter-manager.status.rrd", "reject") == 2)
            #expect(try sum("milter-manager.status.rrd", "temporary_failure") == 2)
            #expect(try sum("milter.status.spamcheck.rrd", "reject") == 2)
            #expect(try sum("milter.status.spamcheck.rrd", "temporary_failure") == 2)
            #expect(try sum("session.rrd", "child") == lines("[milter][end]["))
            // The child that is not there: each of its sessions ends in error.
            let broken = lines("[milter][end][", "): broken")
            #expect(broken > 0, "\(log)")
            #expect(try sum("milter.status.broken.rrd", "error") == lines("[milter][end][", "][error][", "): broken"))
            #expect(try sum("milter.elapsed.broken.rrd", "count") == broken)
            let spam = lines("[milter][header][add]", "<X-Spam-Flag>=<YES>: spamcheck")
            #expect(spam >= 3, "\(log)")
            #expect(try sum("milter-manager.report.rrd", "spam") == spam)
            #expect(try sum("milter.report.spamcheck.rrd", "spam") == spam)
            let greylisted = lines("[milter][header][add]", "<X-Greylist>=<Delayed for")
            #expect(greylisted >= 3)
            #expect(try sum("milter.report.greylist.rrd", "greylisting_pass") == greylisted)
            #expect(try sum("milter-manager.elapsed.rrd", "count") == 7)
            #expect(try sum("session.rrd", "concurrent") >= 0)
        }
        try expectCounts()

        let html = try String(contentsOf: output.appendingPathComponent("index.html"), encoding: .utf8)
        var graphs = ["milter-manager.status", "milter-manager.report", "milter-manager.elapsed"]
        for milter in ["broken", "greylist", "spamcheck"] {
            graphs += ["milter.status.\(milter)", "milter.report.\(milter)"]
        }
        for period in ["day", "week", "month", "year"] {
            for graph in graphs {
                let name = "\(graph).\(period).png"
                let png = try Data(contentsOf: output.appendingPathComponent(name))
                #expect(png.starts(with: [0x89, 0x50, 0x4e, 0x47]), "\(name) is not a PNG")
                #expect(html.contains("<img src=\"\(name)\""), "index.html does not show \(name)")
            }
        }

        // The next cron run over the same log adds nothing; --no-update-db only redraws.
        let again = try AnalyzerProcess.run(
            ["--log", bench.log.path, "--output-directory", output.path, "--now", String(now + 300)])
        #expect(again.status == 0, "\(again.error)")
        try expectCounts()
        let redraw = try AnalyzerProcess.run(["--output-directory", output.path, "--no-update-db"])
        #expect(redraw.status == 0, "\(redraw.error)")
        try expectCounts()
    }
}
