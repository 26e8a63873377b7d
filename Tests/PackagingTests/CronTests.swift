import Foundation
import MilterTestSupport
import Testing

/// packaging/cron.d: every 5 minutes, as root handing the log to the analyzer, with options
/// the analyzer knows.
@Suite struct CronTests {
    @Test func cronEntryRunsTheAnalyzerEveryFiveMinutesWithOptionsItKnows() throws {
        let text = try String(
            contentsOf: Packaging.file("cron.d/milter-manager-log-analyzer"), encoding: .utf8)
        let entries = text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.contains("=") && !$0.isEmpty }
        #expect(entries.count == 1)
        let fields = entries[0].split(separator: " ", maxSplits: 6).map(String.init)
        #expect(Array(fields.prefix(6)) == ["*/5", "*", "*", "*", "*", "root"])
        let command = fields.count > 6 ? fields[6] : ""
        #expect(command.contains("su milter-manager"))
        #expect(command.contains("milter-manager-log-analyzer"))
        let help = try Subprocess.run(try TestPaths.product("milter-manager-log-analyzer").path, ["--help"])
        #expect(help.status == 0)
        for option in PackagingTests.options(in: command) {
            #expect(help.output.contains(option), "the cron entry passes \(option), which --help does not list")
        }
        #expect(PackagingTests.options(in: command).contains("--output-directory"))
    }
}
