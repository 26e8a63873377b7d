import Configuration
import MilterTestSupport
import Testing

/// `--show-config` output: golden files and the round trip (printed text loads again and
/// prints the same).
@Suite struct ShowConfigTests {
    /// One printed configuration: how to load it and where its golden file is.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var load: @Sendable () -> ConfigurationLoadResult
        var testDescription: String { name }
    }

    static let overrides: CommandLineOverrides = {
        var overrides = CommandLineOverrides()
        overrides.set(ManagerKey.pidFile, to: "/tmp/milter-manager.pid")
        overrides.logLevel = "+debug"
        overrides.set(ManagerKey.daemon, to: true)
        return overrides
    }()

    static let cases: [Case] = [
        Case(name: "defaults-debian") {
            ConfigurationLoader.inMemory(platform: .debian).load(
                text: "", file: "/etc/milter-manager/milter-manager.conf")
        },
        Case(name: "builtin-default-detected") {
            ConfigurationLoader.inMemory(platform: .debian, detector: FixedDetector.debian).load()
        },
        Case(name: "local-overrides") {
            var result = ConfigurationLoader(
                root: TestFiles.configRoot("local-overrides"), platform: .debian, detector: FixedDetector.debian
            ).load()
            result.configuration = result.configuration.applying(ShowConfigTests.overrides)
            return result
        },
    ]

    @Test(arguments: cases)
    func matchesGoldenFile(_ testCase: Case) {
        let result = testCase.load()
        #expect(result.errors.isEmpty, "\(result.errors)")
        Golden.check(ConfigurationPrinter.render(result.configuration), "show-config-\(testCase.name)/show-config.conf")
    }

    @Test(arguments: cases)
    func printedTextLoadsBackToTheSameText(_ testCase: Case) {
        let first = ConfigurationPrinter.render(testCase.load().configuration)
        // Another platform and no detector: everything must come from the text itself.
        let reloaded = ConfigurationLoader.inMemory(platform: .unknown)
            .load(text: first, file: "/etc/milter-manager/milter-manager.conf")
        #expect(reloaded.errors.isEmpty, "\(reloaded.errors)")
        let second = ConfigurationPrinter.render(reloaded.configuration)
        #expect(second == first)
    }

    @Test func sectionsComeInTheOriginalOrder() {
        let text = ConfigurationPrinter.render(ManagerConfiguration(platform: .redhat))
        let markers = [
            "package.platform", "security.privilege_mode", "log.level", "manager.connection_spec",
            "controller.connection_spec", "database.type", "define_applicable_condition(\"Authenticated\")",
            "s25r.only_check_ipv4",
        ]
        let positions = markers.map { text.firstRange(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        #expect(text.hasSuffix("dnsbl.timeout_result = \"not_listed\"\n"))
    }

    @Test func valuesAreRenderedTheRubyWay() {
        var configuration = ManagerConfiguration(platform: .unknown)
        configuration.manager.unixSocketMode.set(0, at: .commandLine)
        configuration.controller.unixSocketMode.set(0, at: .default)
        configuration.manager.maintenanceInterval.set(0, at: .default)
        var milter = MilterDefinition(name: "quote\"d\u{e9}", definedAt: .default)
        milter.description.set("tab\there #{x}", at: .default)
        milter.connectionTimeout.set(0.5, at: .default)
        configuration.milters = [milter]
        let text = ConfigurationPrinter.render(configuration)
        #expect(text.contains("# command line\nmanager.unix_socket_mode = 0\n"))
        #expect(text.contains("controller.unix_socket_mode = 00\n"))
        #expect(text.contains("manager.maintenance_interval = nil\n"))
        #expect(text.contains("define_milter(\"quote\\\"d\u{e9}\") do |milter|"))
        #expect(text.contains("milter.description = \"tab\\there \\#{x}\""))
        #expect(text.contains("milter.connection_timeout = 0.5\n"))
        let reloaded = ConfigurationLoader.inMemory(platform: .unknown).load(text: text, file: "/x.conf")
        #expect(reloaded.errors.isEmpty, "\(reloaded.errors)")
        #expect(reloaded.configuration.milters.first?.name == "quote\"d\u{e9}")
        #expect(reloaded.configuration.milters.first?.description.value == "tab\there #{x}")
        #expect(ConfigurationPrinter.render(reloaded.configuration) == text)
    }
}
