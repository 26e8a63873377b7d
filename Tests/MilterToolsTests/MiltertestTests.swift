import Foundation
import MilterTestSupport
import Testing

/// Debian's Lua `miltertest` (OpenDKIM) as the MTA, milter-test-client as the milter.
@Suite(
    "milter-test-client driven by miltertest", .serialized,
    .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/miltertest"), "miltertest is not installed"))
struct MiltertestTests {
    private static let script = TestPaths.fixtures.appendingPathComponent("milters/miltertest_client.lua").path

    private func miltertest(_ definitions: [String: String]) throws -> (status: Int32, output: String) {
        var arguments: [String] = []
        for (name, value) in definitions.sorted(by: { $0.key < $1.key }) { arguments += ["-D", "\(name)=\(value)"] }
        return try Subprocess.run("/usr/bin/miltertest", arguments + ["-s", Self.script])
    }

    @Test func everyStageContinuesAndTheHeaderIsAdded() throws {
        let directory = try TestPaths.makeTemporaryDirectory("mt")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (client, spec) = try Tools.startClient(["--add-header", "X-Client:yes"], in: directory)
        defer { client.stop() }
        let result = try miltertest(["sock": spec, "hdr": "X-Client", "val": "yes"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("PASS end-of-message"))
        let events = try Tools.clientOutput(client)
        for line in [
            "connect: host=<client.example>, address=<inet:", "macros:\n  daemon_name=miltertest\n  j=mt.example\n",
            "helo: <client.example>\n",
            "envelope-from: <<sender@example.org>>\nmacros:\n  mail_addr=sender@example.org\n",
            "envelope-recipient: <<user@test.example>>\n", "data\n", "header: <Subject: from miltertest>\n",
            "end-of-header\n", "body: <body from miltertest\r\n>\n", "end-of-message\n", "finished\n",
        ] {
            #expect(events.contains(line), "missing \(line) in \(events)")
        }
    }

    @Test(arguments: ["connect", "envelope-recipient", "header", "end-of-message"])
    func refusedStage(_ stage: String) throws {
        let directory = try TestPaths.makeTemporaryDirectory("mtr")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (client, spec) = try Tools.startClient(["--reject-on", stage, "--quiet"], in: directory)
        defer { client.stop() }
        let result = try miltertest(["sock": spec, "refuse": stage])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("PASS \(stage) rejected"))
    }
}
