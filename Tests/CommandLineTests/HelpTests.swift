import Foundation
import MilterTestSupport
import Testing

/// Every executable's and subcommand's `--help`, run from the built products with `COLUMNS=80`:
/// byte for byte as in `Tests/Fixtures/golden/help/` (re-record with `RECORD_GOLDEN=1` after a
/// deliberate change), with FILES and ENVIRONMENT sections (issue 11 §6) whose lines fit in
/// 78 columns.
@Suite struct HelpTests {
    /// One `--help` run.
    struct Command: Sendable, CustomTestStringConvertible {
        /// The product.
        var executable: String
        /// The subcommand, if any.
        var subcommand: String?
        /// Whether the help has FILES and ENVIRONMENT sections (not the bare subcommand list).
        var describesFiles = true

        var golden: String {
            "help/" + ([executable] + (subcommand.map { [$0] } ?? [])).joined(separator: "-") + ".txt"
        }
        var testDescription: String { ([executable] + (subcommand.map { [$0] } ?? [])).joined(separator: " ") }
    }

    static let commands: [Command] = [
        Command(executable: "milter-manager"),
        Command(executable: "milter-manager-config", describesFiles: false),
        Command(executable: "milter-manager-config", subcommand: "detect"),
        Command(executable: "milter-manager-config", subcommand: "generate"),
        Command(executable: "milter-manager-config", subcommand: "postfix"),
        Command(executable: "milter-manager-config", subcommand: "sendmail"),
        Command(executable: "milter-test-server"),
        Command(executable: "milter-test-client"),
        Command(executable: "milter-manager-log-analyzer"),
        Command(executable: "milter-manager-ctl"),
    ]

    static func help(_ command: Command) throws -> String {
        let arguments = (command.subcommand.map { [$0] } ?? []) + ["--help"]
        let result = try Subprocess.capture(
            try TestPaths.product(command.executable).path, arguments,
            environment: ["COLUMNS": "80", "PATH": "/usr/bin:/bin"])
        #expect(result.status == 0, "\(result.error)")
        return result.output
    }

    @Test(arguments: commands)
    func helpIsAsRecorded(_ command: Command) throws {
        Golden.check(try Self.help(command), command.golden)
    }

    @Test(arguments: commands)
    func helpNamesFilesAndEnvironmentInNarrowLines(_ command: Command) throws {
        let text = try Self.help(command)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard command.describesFiles else {
            #expect(!text.contains("FILES"))
            return
        }
        let files = try #require(lines.firstIndex { $0.hasPrefix("FILES") }, "no FILES section")
        let environment = try #require(lines.firstIndex { $0 == "ENVIRONMENT" }, "no ENVIRONMENT section")
        #expect(files < environment)
        let usage = try #require(lines.firstIndex { $0.hasPrefix("USAGE:") })
        for line in lines[files..<usage] {
            #expect(line.count <= 78, "longer than 78 columns: \(line)")
        }
        // Every section names at least one entry, indented below its heading.
        #expect(lines[environment + 1].hasPrefix("  "))
        #expect(lines[files + 1].hasPrefix("  "))
    }
}
