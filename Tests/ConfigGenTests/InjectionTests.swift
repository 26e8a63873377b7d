import ConfigGen
import Configuration
import Detect
import MilterProtocol
import MilterSupport
import Testing

/// Values read from other packages' files never become statements (issue 9, class 6): in the
/// generated milter-manager.conf they are comments with control characters escaped, in
/// `detect --format conf` Ruby literals that load back to the same value, and in messages one
/// line each.
@Suite struct InjectionTests {
    /// What an attacker who controls a milter's own files (or file names) can put in a value.
    static let hostileValues = [
        "line\nmanager.connection_spec = \"inet:2525@evil.example\"",
        "cr\rload \"/etc/shadow\"",
        "vertical\u{0B}tab and form\u{0C}feed",
        "nel\u{85}and esc\u{1B}[2J",
        "quote\" #{system('id')} \\",
        "=begin",
    ]

    static func report(_ value: String) -> DetectionReport {
        var milter = DetectedMilter(
            name: "milter-\(value)", enabled: true, connectionSpec: nil, description: value,
            command: "/etc/init.d/\(value)", commandOptions: value, applicableConditions: [value])
        milter.source = SourceLocation(file: "/etc/default/\(value)", line: 3)
        milter.connectionSpecText = "unix:/run/\(value)"
        return DetectionReport(
            platform: .debian, milters: [milter],
            diagnostics: [
                Diagnostic(
                    location: SourceLocation(file: "/etc/\(value)", line: 1), severity: .warning, message: value)
            ])
    }

    @Test(arguments: hostileValues)
    func theGeneratedFileHasOnlyItsOwnStatements(_ value: String) throws {
        let text = try ManagerConfigurationRenderer(templates: ConfigGenFixtures.templates).render(Self.report(value))
        let statements = text.split(separator: "\n", omittingEmptySubsequences: false).filter {
            !$0.hasPrefix("#") && !$0.isEmpty
        }
        #expect(
            statements == [
                "package.platform = \"debian\"", "load_default", "load_if_exist \"milter-manager.local.conf\"",
            ])
        #expect(!text.unicodeScalars.contains { ControlCharacters.isControl($0) && $0 != "\n" })
        let loaded = ConfigurationLoader.inMemoryForGenerator.load(
            text: text, file: "/etc/milter-manager/milter-manager.conf")
        #expect(loaded.errors.isEmpty, "\(loaded.errors)")
        #expect(loaded.configuration.milters.isEmpty)
        #expect(loaded.configuration.manager.connectionSpec.provenance == .default)
    }

    /// `detect --format conf`, saved as a file, loads back to the same values.
    @Test(arguments: hostileValues)
    func detectConfLoadsBackToTheSameValues(_ value: String) {
        let text = DetectionReportConf.render(Self.report(value))
        let loaded = ConfigurationLoader.inMemoryForGenerator.load(text: text, file: "/tmp/detected.conf")
        let milter = loaded.configuration.milters.first
        #expect(milter?.name == "milter-\(value)")
        #expect(milter?.description.value == value)
        #expect(milter?.command.value == "/etc/init.d/\(value)")
        #expect(milter?.commandOptions.value == value)
        #expect(loaded.configuration.manager.connectionSpec.provenance == .default)
        #expect(loaded.configuration.milters.count == 1)
    }

    /// Error messages are one line each whatever the paths hold.
    @Test func errorLinesEscapeControlCharacters() {
        let error = ConfigGenError.configurationUnreadable(
            path: "/etc/x\nmilter-manager-config: forged", reason: "it is a FIFO, not a regular file")
        #expect(
            error.lines == [
                "cannot read /etc/x\\nmilter-manager-config: forged: it is a FIFO, not a regular file; "
                    + "nothing was written (fix or remove it)"
            ])
        #expect(error.exitStatus == 66)
    }
}

extension ConfigurationLoader {
    /// A loader that reads nothing from disk (an empty load path under a missing root).
    static let inMemoryForGenerator = ConfigurationLoader(
        root: "/nonexistent/milter-manager-tests", loadPaths: [], platform: .debian, detector: nil)
}
