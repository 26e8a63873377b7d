import Foundation
import MilterTestSupport
import Testing

/// `milter-manager-config detect` as a process: exit status, JSON, conf, diagnostics.
@Suite struct DetectCommandTests {
    struct Run {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    static func run(_ arguments: [String]) throws -> Run {
        let result = try Subprocess.capture(try TestPaths.product("milter-manager-config").path, arguments)
        return Run(status: result.status, standardOutput: result.output, standardError: result.error)
    }

    @Test func printsJSON() throws {
        let run = try Self.run(["detect", "--root", Fixtures.root("redhat-6/install-guide"), "--format", "json"])
        #expect(run.status == 0)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        #expect(object["platform"] as? String == "redhat")
        let milters = try #require(object["milters"] as? [[String: Any]])
        #expect(milters.map { $0["name"] as? String } == ["milter-greylist", "clamav-milter", "spamass-milter"])
        #expect(milters[0]["connection_spec"] as? String == "unix:/var/run/milter-greylist/milter-greylist.sock")
        #expect(milters[0]["source"] as? String == "/etc/init.d/milter-greylist:19")
        #expect(milters[2]["applicable_conditions"] as? [String] == ["Remote Network", "Unauthenticated", "No Stress"])
        #expect((object["diagnostics"] as? [Any])?.isEmpty == true)
        // Keys in the order of the contract.
        let keys = [
            "\"name\"", "\"enabled\"", "\"connection_spec\"", "\"description\"", "\"command\"",
            "\"command_options\"", "\"applicable_conditions\"", "\"source\"",
        ]
        let positions = keys.map { run.standardOutput.range(of: $0)!.lowerBound }
        #expect(positions == positions.sorted())
    }

    @Test func printsNullForAMissingSpecAndDiagnostics() throws {
        let run = try Self.run(["detect", "--root", Fixtures.root("netbsd-9/all-enabled"), "--format", "json"])
        #expect(run.status == 0)
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [String: Any])
        let regex = try #require((object["milters"] as? [[String: Any]])?.last)
        #expect(regex["name"] as? String == "milter-regex")
        #expect(regex["connection_spec"] is NSNull)
        let diagnostics = try #require(object["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.first?["file"] as? String == "/usr/pkg/etc/rc.d/milter-regex")
        #expect(diagnostics.first?["line"] as? Int == 0)
        #expect(diagnostics.first?["severity"] as? String == "warning")
    }

    @Test func printsConfWithDiagnosticsOnBothStreams() throws {
        let run = try Self.run(["detect", "--root", Fixtures.root("redhat-7/careless-admin")])
        #expect(run.status == 0)
        #expect(run.standardOutput.contains("define_milter(\"milter-greylist\") do |milter|\n"))
        #expect(run.standardOutput.contains("# warning: /etc/mail/greylist.conf:9: the socket's quote is not closed"))
        #expect(
            run.standardError.contains(
                "milter-manager-config: /etc/mail/clamav-milter.conf:20: MilterSocket has no value"))
    }

    @Test func platformOverride() throws {
        let run = try Self.run([
            "detect", "--root", Fixtures.root("debian-12/packages"), "--platform", "redhat", "--format", "json",
        ])
        #expect(run.status == 0)
        #expect(run.standardOutput.contains("\"platform\": \"redhat\""))
    }

    static let usageErrors: [[String]] = [
        ["detect", "--platform", "solaris"],
        ["detect", "--format", "yaml"],
        ["detect", "--no-such-option"],
        ["no-such-command"],
    ]

    @Test(arguments: usageErrors)
    func badUsageExits64(_ arguments: [String]) throws {
        let run = try Self.run(arguments + ["--root", Fixtures.root("unknown/empty")])
        #expect(run.status == 64)
    }

    @Test func unreadableRootExits1() throws {
        let run = try Self.run(["detect", "--root", "/nonexistent/root", "--format", "json"])
        #expect(run.status == 1)
        #expect(run.standardError.contains("cannot read root directory /nonexistent/root"))
        #expect(run.standardOutput.isEmpty)
    }

    @Test func printsVersionAndTiming() throws {
        let version = try Self.run(["--version"])
        #expect(version.status == 0)
        #expect(version.standardOutput.hasPrefix("milter-manager-config "))
        let timed = try Self.run(["detect", "--root", Fixtures.root("unknown/empty"), "--timing"])
        #expect(timed.status == 0)
        #expect(timed.standardError.contains("detect took"))
    }
}
