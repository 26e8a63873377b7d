import ConfigGen
import Configuration
import Detect
import Foundation
import MilterProtocol
import MilterTestSupport
import Testing

/// `generate`: the rendered milter-manager.conf (golden files), that it loads and re-detects,
/// and how it is written.
@Suite struct GeneratorTests {
    static let goldenRoots = [
        "redhat-6/install-guide", "redhat-5/packages", "redhat-7/overrides", "debian-12/packages",
        "freebsd/install-guide", "netbsd/packages", "unknown/empty", "debian-12/postfix-chroot",
    ]

    static func generator(_ root: String, platform: Platform? = nil) -> ConfigurationGenerator {
        ConfigurationGenerator(
            root: root, platform: platform, dataDirectory: ConfigGenFixtures.dataDirectory,
            templates: ConfigGenFixtures.templates)
    }

    /// The daemon's view of the configuration under `root`: files plus `load_default`.
    static func load(_ root: String) -> ConfigurationLoadResult {
        let detector = MilterDetector(root: root, dataDirectory: ConfigGenFixtures.dataDirectory)
        return ConfigurationLoader(root: root, platform: detector.identifyPlatform(), detector: detector).load()
    }

    @Test(arguments: goldenRoots)
    func rendersTheGoldenFile(_ root: String) throws {
        let plan = try Self.generator(FixtureRoots.path(root)).plan()
        #expect(plan.currentText == nil)
        #expect(plan.path == "/etc/milter-manager/milter-manager.conf")
        Golden.check(plan.newText, "generate-\(root.replacingOccurrences(of: "/", with: "-"))/milter-manager.conf")
    }

    /// The daemon loading the written file ends up with exactly the milters detection reports,
    /// each with its socket and state.
    @Test(arguments: goldenRoots)
    func writtenFileLoadsToTheDetectedMilters(_ fixture: String) throws {
        let root = try FixtureRoots.copy(fixture, label: "gen-load")
        defer { ConfigGenFixtures.remove(root) }
        let generator = Self.generator(root.path)
        let plan = try generator.plan()
        _ = try generator.write(plan)
        let result = Self.load(root.path)
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.loadedFiles.contains { $0.hasSuffix("/etc/milter-manager/milter-manager.conf") })
        struct Row: Equatable {
            var name: String
            var enabled: Bool
            var spec: ConnectionSpec?
        }
        let loaded = result.configuration.milters.map {
            Row(name: $0.name, enabled: $0.enabled.value, spec: $0.connectionSpec.value?.spec)
        }
        #expect(loaded == plan.report.milters.map { Row(name: $0.name, enabled: $0.enabled, spec: $0.connectionSpec) })
    }

    /// The written file, loaded, has privilege mode on wherever `load_default` knows the
    /// platform (as the original's `defaults/PLATFORM.conf` files do), so that the launcher
    /// starts a detected milter that cannot be reached through its command; on an unknown
    /// platform it stays off.
    static let privilegeModes: [(String, Bool)] = [
        ("debian-12/packages", true), ("debian-12/postfix-chroot", true), ("redhat-6/install-guide", true),
        ("redhat-7/overrides", true), ("freebsd/install-guide", true), ("netbsd/packages", true),
        ("unknown/empty", false),
    ]

    @Test(arguments: privilegeModes)
    func privilegeModeIsOnWhereThePlatformIsKnown(_ fixture: String, _ on: Bool) throws {
        let root = try FixtureRoots.copy(fixture, label: "gen-privilege")
        defer { ConfigGenFixtures.remove(root) }
        let generator = Self.generator(root.path)
        let plan = try generator.plan()
        _ = try generator.write(plan)
        let configuration = Self.load(root.path).configuration
        #expect(configuration.security.privilegeMode.value == on)
        if on {
            let commands = configuration.enabledMilters.map { $0.command.value }
            #expect(!commands.isEmpty && commands.allSatisfy { $0 != nil }, "every detected milter has a command")
        }
    }

    /// The install guide's CentOS 6 host: after `chkconfig --del milter-greylist` a reload
    /// (loading the same generated file again) no longer enables milter-greylist.
    @Test func milterRemovedWithChkconfigDisappearsAfterReload() throws {
        let root = try FixtureRoots.copy("redhat-6/install-guide", label: "gen-chkconfig")
        defer { ConfigGenFixtures.remove(root) }
        let generator = Self.generator(root.path)
        _ = try generator.write(try generator.plan())
        #expect(Self.load(root.path).configuration.milter(named: "milter-greylist")?.enabled.value == true)

        for level in 0...6 {
            let directory = root.appendingPathComponent("etc/rc.d/rc\(level).d")
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path)
            where name.hasSuffix("milter-greylist") {
                try FileManager.default.removeItem(at: directory.appendingPathComponent(name))
            }
        }
        let reloaded = Self.load(root.path).configuration
        #expect(reloaded.milter(named: "milter-greylist")?.enabled.value == false)
        #expect(reloaded.enabledMilters.map(\.name) == ["clamav-milter", "spamass-milter"])
    }

    @Test func writesOnlyOnChangeWithABackupAndNeverTouchesTheLocalFile() throws {
        let root = try FixtureRoots.copy("redhat-6/install-guide", label: "gen-write")
        defer { ConfigGenFixtures.remove(root) }
        let local = "define_milter(\"clamav-milter\") do |milter|\n  milter.enabled = false\nend\n"
        try ConfigGenFixtures.write(local, at: "/etc/milter-manager/milter-manager.local.conf", in: root)
        let generator = Self.generator(root.path)

        #expect(try generator.write(try generator.plan()) == .created)
        let first = ConfigGenFixtures.read("/etc/milter-manager/milter-manager.conf", in: root)
        let second = try generator.plan()
        #expect(second.isUpToDate)
        #expect(second.diff == "")
        #expect(try generator.write(second) == .unchanged)
        #expect(!FileManager.default.fileExists(atPath: root.path + "/etc/milter-manager/milter-manager.conf.bak"))

        // Detection changes (spamass-milter's socket moves): replaced, the old text kept.
        let sysconfig = root.path + "/etc/sysconfig/spamass-milter"
        let text = try String(contentsOfFile: sysconfig, encoding: .utf8)
        try text.replacingOccurrences(of: "11120", with: "11121").write(
            toFile: sysconfig, atomically: true, encoding: .utf8)
        let third = try generator.plan()
        #expect(third.diff.contains("-#   spamass-milter"))
        #expect(third.diff.contains("inet:11121@[127.0.0.1]"))
        #expect(try generator.write(third) == .replaced(backup: "/etc/milter-manager/milter-manager.conf.bak"))
        #expect(ConfigGenFixtures.read("/etc/milter-manager/milter-manager.conf.bak", in: root) == first)
        #expect(ConfigGenFixtures.read("/etc/milter-manager/milter-manager.local.conf", in: root) == local)
        #expect(Self.load(root.path).configuration.enabledMilters.map(\.name) == ["milter-greylist", "spamass-milter"])
    }

    @Test func existingFileThatDoesNotLoadIsNotReplaced() throws {
        let root = try FixtureRoots.copy("redhat-6/install-guide", label: "gen-broken")
        defer { ConfigGenFixtures.remove(root) }
        let broken = "manager.connection_spec = \"inet:10025@localhost\"\nmanager.no_such_key = 1\n"
        try ConfigGenFixtures.write(broken, at: "/etc/milter-manager/milter-manager.conf", in: root)
        let before = try FixtureRoots.snapshot(root)
        #expect {
            _ = try Self.generator(root.path).plan()
        } throws: { error in
            guard let error = error as? ConfigGenError, case .existingConfigurationInvalid(let errors) = error else {
                return false
            }
            return error.exitStatus == 78 && errors.first?.location.file == "/etc/milter-manager/milter-manager.conf"
                && errors.first?.location.line == 2
        }
        #expect(try FixtureRoots.snapshot(root) == before)
    }

    @Test func configDirectoryAndPlatformOptions() throws {
        let root = try FixtureRoots.copy("debian-12/packages", label: "gen-dir")
        defer { ConfigGenFixtures.remove(root) }
        let generator = ConfigurationGenerator(
            root: root.path, platform: .debian, configDirectory: "/opt/mm/etc",
            dataDirectory: ConfigGenFixtures.dataDirectory, templates: ConfigGenFixtures.templates)
        #expect(try generator.write(try generator.plan()) == .created)
        let text = try #require(ConfigGenFixtures.read("/opt/mm/etc/milter-manager.conf", in: root))
        #expect(text.contains("package.platform = \"debian\"\nload_default\n"))
        #expect(!FileManager.default.fileExists(atPath: root.path + "/etc/milter-manager/milter-manager.conf"))
    }
}
