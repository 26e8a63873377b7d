import Configuration
import MilterProtocol
import Testing

/// Files, load paths, `load_default`, the built-in default and the command-line overrides.
@Suite struct LoaderTests {
    /// The platform defaults of detection.md 1.1 / 4.4.
    struct PlatformCase: Sendable, CustomTestStringConvertible {
        var platform: Platform
        var spec: String
        var user: String?
        var group: String?
        var pidFile: String?
        var testDescription: String { platform.rawValue }
    }

    static let platforms: [PlatformCase] = [
        PlatformCase(
            platform: .debian, spec: "unix:/run/milter-manager/milter-manager.sock", user: "milter-manager",
            group: "mail", pidFile: "/run/milter-manager/milter-manager.pid"),
        PlatformCase(
            platform: .redhat, spec: "unix:/var/run/milter-manager/milter-manager.sock", user: "milter-manager",
            group: "milter-manager", pidFile: "/var/run/milter-manager/milter-manager.pid"),
        PlatformCase(platform: .freebsd, spec: "unix:/var/run/milter-manager/milter-manager.sock"),
        PlatformCase(platform: .pkgsrc, spec: "unix:/var/run/milter-manager/milter-manager.sock"),
        PlatformCase(platform: .unknown, spec: "inet:10025@[127.0.0.1]"),
    ]

    @Test(arguments: platforms)
    func platformDefaults(_ expected: PlatformCase) {
        let configuration = ManagerConfiguration(platform: expected.platform)
        #expect(configuration.manager.connectionSpec.value.text == expected.spec)
        #expect(configuration.security.effectiveUser.value == expected.user)
        #expect(configuration.security.effectiveGroup.value == expected.group)
        #expect(configuration.manager.unixSocketGroup.value == expected.group)
        #expect(configuration.manager.pidFile.value == expected.pidFile)
        #expect(configuration.package.platform.value == expected.platform.rawValue)
        #expect(configuration.security.privilegeMode.value == false)
        #expect(
            configuration.applicableConditions.map(\.name) == [
                "Authenticated", "Unauthenticated", "DNSBL Listed", "Not DNSBL Listed", "Remote Network", "S25R",
                "Sendmail Compatible", "Stress Notify", "No Stress", "Trust",
            ])
    }

    @Test func missingFileUsesTheBuiltInDefault() {
        let root = TestFiles.temporaryDirectory("builtin")
        defer { TestFiles.remove(root) }
        TestFiles.write(
            "define_milter(\"milter-greylist\") do |milter|\n  milter.enabled = false\nend\n",
            to: root + "/etc/milter-manager/milter-manager.local.conf")
        let result = ConfigurationLoader(root: root, platform: .debian, detector: FixedDetector.debian).load()
        #expect(result.errors.isEmpty)
        #expect(result.usedBuiltInDefault)
        #expect(result.loadedFiles == ["/etc/milter-manager/milter-manager.local.conf"])
        #expect(result.configuration.security.privilegeMode == Setting(true, .detected(nil)))
        #expect(result.configuration.milters.map(\.name) == ["milter-greylist", "clamav-milter", "spamass-milter"])
        #expect(result.configuration.milter(named: "milter-greylist")?.enabled.value == false)
        #expect(result.warnings == FixedDetector.debian.report.diagnostics)
    }

    @Test func detectedValuesAreApplied() {
        let result = ConfigurationLoader.inMemory(detector: FixedDetector.debian).load()
        let greylist = result.configuration.milter(named: "milter-greylist")
        #expect(greylist?.writingTimeout.value == 132.0)
        #expect(greylist?.readingTimeout.value == 132.0)
        #expect(greylist?.connectionTimeout.value == 297.0)
        #expect(
            greylist?.connectionSpec.provenance
                == .detected(SourceLocation(file: "/etc/milter-greylist/greylist.conf", line: 5)))
        let clamav = result.configuration.milter(named: "clamav-milter")
        #expect(clamav?.connectionSpec.value?.text == "local:/var/run/clamav/clamav-milter.ctl")
        #expect(clamav?.connectionSpec.value?.spec == .unix(path: "/var/run/clamav/clamav-milter.ctl"))
        let spamass = result.configuration.milter(named: "spamass-milter")
        #expect(spamass?.enabled.value == false)
        #expect(spamass?.connectionSpec.value == nil)
    }

    @Test func packagePlatformChoosesWhatLoadDefaultDetects() {
        let text = "package.platform = \"redhat9\"\nload_default\n"
        let result = ConfigurationLoader.inMemory(platform: .unknown, detector: FixedDetector.debian)
            .load(text: text, file: "/etc/milter-manager/milter-manager.conf")
        #expect(result.configuration.package.detectionPlatform == .redhat)
        #expect(result.configuration.milters.count == 3)
        let unknown = ConfigurationLoader.inMemory(platform: .unknown, detector: FixedDetector.debian)
            .load(text: "load_default\n", file: "/etc/milter-manager/milter-manager.conf")
        #expect(unknown.configuration.milters.isEmpty)
        #expect(unknown.configuration.security.privilegeMode.value == false)
    }

    @Test func loadPathOrderGlobsAndDirectories() {
        let root = TestFiles.temporaryDirectory("paths")
        defer { TestFiles.remove(root) }
        TestFiles.write("load \"conf.d\"\nload \"extra/*.conf\"\n", to: root + "/opt/mm/milter-manager.conf")
        TestFiles.write("manager.max_connections = 1\n", to: root + "/etc/milter-manager/milter-manager.conf")
        TestFiles.write("manager.n_workers = 2\n", to: root + "/opt/mm/conf.d/b.conf")
        TestFiles.write("manager.n_workers = 1\n", to: root + "/opt/mm/conf.d/a.conf")
        TestFiles.write("manager.chunk_size = 10\n", to: root + "/etc/milter-manager/extra/x.conf")
        TestFiles.write("manager.chunk_size = 20\n", to: root + "/opt/mm/extra/y.conf")
        let result = ConfigurationLoader(root: root, configDirectory: "/opt/mm", platform: .unknown, detector: nil)
            .load()
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(
            result.loadedFiles == [
                "/opt/mm/milter-manager.conf", "/opt/mm/conf.d/a.conf", "/opt/mm/conf.d/b.conf",
                "/opt/mm/extra/y.conf", "/etc/milter-manager/extra/x.conf",
            ])
        #expect(result.configuration.manager.nWorkers.value == 2)
        #expect(result.configuration.manager.chunkSize.value == 10)
        #expect(result.configuration.manager.maxConnections.value == 0)
    }

    @Test func loadCycleAndMissingFiles() {
        let root = TestFiles.temporaryDirectory("cycle")
        defer { TestFiles.remove(root) }
        TestFiles.write(
            "load \"b.conf\"\nload_if_exist \"missing.conf\"\nload_if_exist \"/nowhere.conf\"\n"
                + "load(\"applicable-conditions/*.conf\")\n",
            to: root + "/etc/milter-manager/milter-manager.conf")
        TestFiles.write("load \"milter-manager.conf\"\n", to: root + "/etc/milter-manager/b.conf")
        let result = ConfigurationLoader(root: root, platform: .unknown, detector: nil).load()
        #expect(
            result.errors.map(\.description) == [
                "/etc/milter-manager/b.conf:1: /etc/milter-manager/milter-manager.conf is already being loaded (load cycle)"
            ])
    }

    @Test func anOptionNotGivenSetsNothingEvenForAKeyThatMayBeNil() {
        var overrides = CommandLineOverrides()
        let notGiven: String? = nil
        overrides.set(ManagerKey.pidFile, to: notGiven)
        overrides.set(SecurityKey.effectiveUser, to: notGiven)
        #expect(!overrides.sets(ManagerKey.pidFile) && !overrides.sets(SecurityKey.effectiveUser))
        let configuration = ManagerConfiguration(platform: .debian).applying(overrides)
        #expect(configuration.manager.pidFile == Setting("/run/milter-manager/milter-manager.pid"))
        overrides.set(ManagerKey.pidFile, to: "/run/x.pid")
        #expect(ManagerConfiguration(platform: .debian).applying(overrides).manager.pidFile.value == "/run/x.pid")
    }

    @Test func commandLineValuesAreCheckedWithTheKeysRanges() {
        var overrides = CommandLineOverrides()
        overrides.set(ManagerKey.nWorkers, to: 1001)
        overrides.set(ManagerKey.unixSocketMode, to: 0o1000)
        overrides.set(ManagerKey.pidFile, to: "/run/x.pid")
        overrides.logLevel = "+nonsense"
        #expect(
            overrides.problems().map(\.message) == [
                "invalid value for manager.n_workers: 1001 (must be 0..1000)",
                "invalid value for manager.unix_socket_mode: 512 (must be 0..511)",
                "invalid value for log.level: \"+nonsense\" (level names)",
            ])
    }

    @Test func commandLineOverridesWin() {
        var overrides = CommandLineOverrides()
        overrides.set(ManagerKey.connectionSpec, to: try? WrittenConnectionSpec(parsing: "inet:10030@localhost"))
        overrides.set(SecurityKey.effectiveUser, to: "nobody")
        overrides.set(ManagerKey.unixSocketMode, to: 0o600)
        overrides.logLevel = "-message"
        overrides.setNil(LogKey.path)
        overrides.set(LogKey.useSyslog, to: true)
        overrides.set(ManagerKey.nWorkers, to: 4)
        overrides.set(ManagerKey.eventLoopBackend, to: .libev)
        let loaded = ConfigurationLoader.inMemory(platform: .debian)
            .load(
                text: "log.path = \"/var/log/mm.log\"\nmanager.n_workers = 2\n",
                file: "/etc/milter-manager/milter-manager.conf")
        let configuration = loaded.configuration.applying(overrides)
        #expect(
            configuration.manager.connectionSpec
                == Setting(try! WrittenConnectionSpec(parsing: "inet:10030@localhost"), .commandLine))
        #expect(configuration.security.effectiveUser == Setting("nobody", .commandLine))
        #expect(configuration.manager.unixSocketMode == Setting(0o600, .commandLine))
        #expect(configuration.log.level.value.description == "critical|error|warning|statistics")
        #expect(configuration.log.path == Setting(nil, .commandLine))
        #expect(configuration.manager.nWorkers == Setting(4, .commandLine))
        #expect(configuration.manager.eventLoopBackend.value == .libev)
        #expect(configuration.manager.pidFile.provenance == .default)
    }

    @Test func trustedDomainsFromAFile() {
        let root = TestFiles.temporaryDirectory("trust")
        defer { TestFiles.remove(root) }
        TestFiles.write(
            "trust.clear\ntrust.load_envelope_from_domains(\"trusted-domains.list\")\n",
            to: root + "/etc/milter-manager/milter-manager.conf")
        TestFiles.write(
            "# partners\nExample.COM\n\n/\\.example\\.net\\z/\n", to: root + "/etc/milter-manager/trusted-domains.list")
        let result = ConfigurationLoader(root: root, platform: .unknown, detector: nil).load()
        #expect(result.errors.isEmpty, "\(result.errors)")
        let domains = result.configuration.conditionParameters.trust.envelopeFromDomains
        #expect(
            domains.map(\.value) == [
                .exact("example.com"), .regex(RubyRegex(source: #"\.example\.net\z"#, ignoreCase: true)),
            ])
        #expect(
            domains.first?.provenance
                == .file(SourceLocation(file: "/etc/milter-manager/trusted-domains.list", line: 2)))
    }
}
