import Foundation
import MilterTestSupport
import NIOPosix
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The configuration's own conditions and DNSBL through the real daemon: a real libmilter
/// child (adding `X-Alpha: 1` when it is applied), milter-test-server as the MTA, unix sockets,
/// table files changed on disk and reloaded by SIGHUP, Lua scripts that fail, and a DNS
/// responder on loopback for the DNSBL look-ups (never the real network).
@Suite("milter-manager applicable conditions", .serialized)
struct DaemonConditionTests {
    /// A daemon whose one child is `alpha` (a real libmilter milter) with the applicable
    /// `conditions`, after the `extra` lines that define them.
    private func start(_ bench: DaemonBench, extra: String, conditions: [String], fallback: String = "accept")
        throws -> Subprocess
    {
        let (child, path) = try RealMilters.startTestMilter(
            in: bench.directory, name: "alpha", options: ["--add-header", "X-Alpha:1"])
        bench.adopt(child)
        try writeConfig(bench, extra: extra, conditions: conditions, fallback: fallback, child: path)
        return try bench.startListening()
    }

    private func writeConfig(
        _ bench: DaemonBench, extra: String, conditions: [String], fallback: String = "accept", child: String? = nil
    ) throws {
        let path = child ?? bench.directory.appendingPathComponent("alpha.sock").path
        let names = conditions.map { "\"\($0)\"" }.joined(separator: ", ")
        try bench.writeConfig(
            extra + """

                define_milter("alpha") do |milter|
                  milter.connection_spec = "unix:\(path)"
                  milter.fallback_status = "\(fallback)"
                  milter.applicable_conditions = [\(names)]
                end
                """)
    }

    /// Whether a session with these milter-test-server options was given alpha's header.
    private func applied(_ bench: DaemonBench, _ options: [String]) throws -> Bool {
        let session = try bench.session(options)
        #expect(session.status == 0, "\(session.output)")
        return session.output.contains("+ X-Alpha: 1")
    }

    private func reload(_ bench: DaemonBench, _ daemon: Subprocess) throws {
        let before = bench.log.components(separatedBy: "configuration reloaded").count
        kill(daemon.pid, SIGHUP)
        try Subprocess.waitFor("the reload") {
            bench.log.components(separatedBy: "configuration reloaded").count > before
                || bench.log.contains("keeping the running one") || !daemon.process.isRunning
        }
        #expect(!bench.log.contains("keeping the running one"), "\(bench.log)")
    }

    @Test func cidrAndRegexpTablesChangedOnDiskDecideAfterSighup() throws {
        let bench = try DaemonBench("tables")
        defer { bench.tearDown() }
        let cidr = bench.etc.appendingPathComponent("relays.cidr")
        let regexp = bench.etc.appendingPathComponent("hosts.regexp")
        try "# none yet\n".write(to: cidr, atomically: true, encoding: .utf8)
        try "# none yet\n".write(to: regexp, atomically: true, encoding: .utf8)
        let rules = """
            define_applicable_condition("Not for relays") do |condition|
              condition.stop_if client_address: "cidr:relays.cidr"
              condition.stop_if client_host: "regexp:hosts.regexp"
            end
            """
        let daemon = try start(bench, extra: rules, conditions: ["Not for relays"])
        let client = ["--connect-address", "inet:25@[192.0.2.7]", "--connect-host", "relay7.example.net"]
        #expect(try applied(bench, client), "no entry yet: \(bench.log)")

        try "192.0.2.0/24 OK\n".write(to: cidr, atomically: true, encoding: .utf8)
        try reload(bench, daemon)
        #expect(try !applied(bench, client), "the network is in relays.cidr now")
        #expect(try applied(bench, ["--connect-address", "inet:25@[198.51.100.7]", "--connect-host", "x.example"]))

        try "# emptied\n".write(to: cidr, atomically: true, encoding: .utf8)
        try "/^relay[0-9]+\\.example\\.net$/ OK\n".write(to: regexp, atomically: true, encoding: .utf8)
        try reload(bench, daemon)
        #expect(try !applied(bench, client), "the host name matches hosts.regexp now")
        #expect(try applied(bench, ["--connect-address", "inet:25@[192.0.2.7]", "--connect-host", "mx.example.net"]))
        kill(daemon.pid, SIGTERM)
        #expect(try bench.waitForExit(daemon) == 0)
    }

    /// A Lua stopper that reads a macro, and scripts that fail: the failing ones quit the
    /// milter with its fallback (accept: the message passes without its header), the reason
    /// is logged, and the daemon serves the next session.
    struct ScriptCase: Sendable, CustomTestStringConvertible {
        var name: String
        var script: String
        var options: [String]
        var applied: Bool
        var logged: String?
        var testDescription: String { name }
    }

    static let scriptCases: [ScriptCase] = [
        ScriptCase(
            name: "a macro stops it",
            script: "function envelope_from(context, sender)\n"
                + "  return context.macros[\"{daemon_name}\"] == \"submission\"\nend\n",
            options: ["--connect-macro", "{daemon_name}:submission"], applied: false),
        ScriptCase(
            name: "another macro value applies it",
            script: "function envelope_from(context, sender)\n"
                + "  return context.macros[\"{daemon_name}\"] == \"submission\"\nend\n",
            options: ["--connect-macro", "{daemon_name}:smtpd"], applied: true),
        ScriptCase(
            name: "a loop that never ends", script: "function header(context, name, value)\n  while true do end\nend\n",
            options: [], applied: false, logged: "instruction budget exhausted: alpha"),
        ScriptCase(
            name: "an error", script: "function data(context)\n  error(\"boom\")\nend\n", options: [],
            applied: false, logged: "boom: alpha"),
    ]

    @Test(arguments: scriptCases)
    func luaStoppers(_ testCase: ScriptCase) throws {
        let bench = try DaemonBench("lua")
        defer { bench.tearDown() }
        try testCase.script.write(to: bench.etc.appendingPathComponent("stop.lua"), atomically: true, encoding: .utf8)
        let condition = """
            define_applicable_condition("Scripted") do |condition|
              condition.lua_script = "stop.lua"
            end
            """
        let daemon = try start(bench, extra: condition, conditions: ["Scripted"])
        #expect(try applied(bench, testCase.options) == testCase.applied, "\(bench.log)")
        if let logged = testCase.logged {
            #expect(bench.log.contains(logged), "\(bench.log)")
            // The next session meets the same failure: the daemon goes on, one line each.
            #expect(try applied(bench, testCase.options) == testCase.applied)
            #expect(bench.log.components(separatedBy: logged).count == 3, "\(bench.log)")
        }
        #expect(daemon.process.isRunning)
        kill(daemon.pid, SIGTERM)
        #expect(try bench.waitForExit(daemon) == 0)
    }

    @Test func aLuaSyntaxErrorStopsTheStartWithItsFileAndLine() throws {
        let bench = try DaemonBench("luasyntax")
        defer { bench.tearDown() }
        try "function connect(context)\n  return (\nend\n".write(
            to: bench.etc.appendingPathComponent("stop.lua"), atomically: true, encoding: .utf8)
        try writeConfig(
            bench,
            extra: "define_applicable_condition(\"Scripted\") do |condition|\n"
                + "  condition.lua_script = \"stop.lua\"\nend\n", conditions: ["Scripted"])
        let result = try bench.run(["--check-config"])
        #expect(result.status == 78, "\(result.output)")
        #expect(result.output.contains("stop.lua:3:"), "\(result.output)")
    }
}
