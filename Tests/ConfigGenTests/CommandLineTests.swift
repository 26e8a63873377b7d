import Foundation
import MilterTestSupport
import Testing

/// The built `milter-manager-config` as an administrator runs it, on copies of fixture roots.
@Suite struct CommandLineTests {
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try Subprocess.run(try TestPaths.product("milter-manager-config").path, arguments)
    }

    @Test func helpListsEverySubcommand() throws {
        let help = try Self.run(["--help"])
        #expect(help.status == 0)
        for name in ["detect", "generate", "postfix", "sendmail"] {
            #expect(help.output.contains("  \(name) "), "\(name) missing from:\n\(help.output)")
        }
    }

    /// generate twice: the first run creates the file, the second writes nothing; --dry-run
    /// shows a diff and writes nothing.
    @Test func generateTwiceChangesNothingTheSecondTime() throws {
        let root = try FixtureRoots.copy("redhat-6/install-guide", label: "cli-gen")
        defer { ConfigGenFixtures.remove(root) }
        let pristine = try FixtureRoots.snapshot(root)
        let dry = try Self.run(["generate", "--root", root.path, "--dry-run"])
        #expect(dry.status == 0)
        #expect(dry.output.hasPrefix("--- /dev/null\n+++ /etc/milter-manager/milter-manager.conf\n@@ -0,0 +1,"))
        #expect(dry.output.contains("+#   spamass-milter   enabled  inet:11120@[127.0.0.1]"))
        #expect(try FixtureRoots.snapshot(root) == pristine)

        let first = try Self.run(["generate", "--root", root.path])
        #expect(first.status == 0)
        #expect(
            first.output
                == "created /etc/milter-manager/milter-manager.conf (3 milter(s) detected, 3 enabled: "
                + "milter-greylist, clamav-milter, spamass-milter)\n")
        let written = try FixtureRoots.snapshot(root)
        let second = try Self.run(["generate", "--root", root.path])
        #expect(second.status == 0)
        #expect(second.output.hasPrefix("/etc/milter-manager/milter-manager.conf is up to date"))
        #expect(try FixtureRoots.snapshot(root) == written)
        let dryAgain = try Self.run(["generate", "--root", root.path, "--dry-run"])
        #expect(dryAgain.output == "/etc/milter-manager/milter-manager.conf is up to date\n")

        // The daemon loads what was written.
        let show = try Subprocess.run(
            try TestPaths.product("milter-manager").path, ["--root", root.path, "--show-config"])
        #expect(show.status == 0, "\(show.output)")
        #expect(show.output.contains("milter.connection_spec = \"inet:11120@[127.0.0.1]\""))
    }

    /// postfix --apply on a main.cf with comments and continuation lines: only the milter
    /// lines change, main.cf.bak keeps the old text, a second run changes nothing.
    @Test func postfixApply() throws {
        let root = try FixtureRoots.copy("redhat-6/install-guide", label: "cli-pf")
        defer { ConfigGenFixtures.remove(root) }
        let original = try String(contentsOf: ConfigGenFixtures.postfixFile("main.cf.comments"), encoding: .utf8)
        try ConfigGenFixtures.write(original, at: "/etc/postfix/main.cf", in: root)

        let printed = try Self.run(["postfix", "--root", root.path])
        #expect(printed.status == 0)
        #expect(printed.output.contains("smtpd_milters = unix:/var/run/milter-manager/milter-manager.sock\n"))
        // interfaces.md allows --dry-run with --print: it prints the same lines and writes nothing.
        let printedDry = try Self.run(["postfix", "--root", root.path, "--print", "--dry-run"])
        #expect(printedDry == printed)
        #expect(ConfigGenFixtures.read("/etc/postfix/main.cf", in: root) == original)

        let dry = try Self.run(["postfix", "--root", root.path, "--apply", "--dry-run"])
        #expect(dry.status == 0)
        #expect(dry.output.contains("\n-milter_protocol = 2\n"))
        #expect(dry.output.contains("\n+milter_protocol = 6\n"))
        #expect(ConfigGenFixtures.read("/etc/postfix/main.cf", in: root) == original)

        let applied = try Self.run(["postfix", "--root", root.path, "--apply"])
        #expect(applied.status == 0, "\(applied.output)")
        #expect(
            applied.output.contains("updated /etc/postfix/main.cf, previous version kept as /etc/postfix/main.cf.bak"))
        #expect(applied.output.contains("note: smtpd_milters listed"))
        #expect(ConfigGenFixtures.read("/etc/postfix/main.cf.bak", in: root) == original)
        let after = try #require(ConfigGenFixtures.read("/etc/postfix/main.cf", in: root))
        let removed = Set(original.split(separator: "\n")).subtracting(after.split(separator: "\n"))
        #expect(
            removed == [
                "milter_protocol = 2", "smtpd_milters = unix:/var/run/spamass/spamass.sock,", "    inet:127.0.0.1:8891",
            ])
        let added = Set(after.split(separator: "\n")).subtracting(original.split(separator: "\n"))
        #expect(
            added == [
                "milter_protocol = 6", "smtpd_milters = unix:/var/run/milter-manager/milter-manager.sock",
                "milter_default_action = accept", "milter_mail_macros = {auth_author} {auth_type} {auth_authen}",
            ])

        let snapshot = try FixtureRoots.snapshot(root)
        let again = try Self.run(["postfix", "--root", root.path, "--apply"])
        #expect(again.status == 0)
        #expect(again.output == "/etc/postfix/main.cf is up to date\n")
        #expect(try FixtureRoots.snapshot(root) == snapshot)
    }

    @Test func postfixApplyRefusesABrokenMainCf() throws {
        let root = try FixtureRoots.copy("redhat-6/install-guide", label: "cli-pfb")
        defer { ConfigGenFixtures.remove(root) }
        let broken = try String(contentsOf: ConfigGenFixtures.postfixFile("main.cf.broken"), encoding: .utf8)
        try ConfigGenFixtures.write(broken, at: "/etc/postfix/main.cf", in: root)
        let before = try FixtureRoots.snapshot(root)
        let result = try Self.run(["postfix", "--root", root.path, "--apply"])
        #expect(result.status == 1)
        #expect(result.output.hasPrefix("milter-manager-config: /etc/postfix/main.cf:3: cannot parse near this line"))
        #expect(result.output.contains("file left unchanged"))
        #expect(try FixtureRoots.snapshot(root) == before)
    }

    @Test func sendmailLineAndTheConfiguredSocket() throws {
        let root = try FixtureRoots.copy("freebsd/install-guide", label: "cli-sm")
        defer { ConfigGenFixtures.remove(root) }
        try ConfigGenFixtures.write(
            "manager.connection_spec = \"inet:10025@localhost\"\n",
            at: "/usr/local/etc/milter-manager/milter-manager.conf", in: root)
        let sendmail = try Self.run(["sendmail", "--root", root.path, "--config-dir", "/usr/local/etc/milter-manager"])
        #expect(sendmail.status == 0)
        #expect(sendmail.output == "INPUT_MAIL_FILTER(`milter-manager', `S=inet:10025@localhost')\n")
        let postfix = try Self.run(["postfix", "--root", root.path, "--config-dir", "/usr/local/etc/milter-manager"])
        #expect(postfix.output.hasSuffix("smtpd_milters = inet:localhost:10025\n"))
    }

    @Test(arguments: [
        (["postfix", "--print", "--apply"], "--print and --apply cannot be used together"),
        (["postfix", "--bogus"], "Unknown option '--bogus'"),
        (["generate", "--platform", "windows"], "--platform"),
    ])
    func usageErrors(_ arguments: [String], _ message: String) throws {
        let result = try Self.run(arguments)
        #expect(result.status == 64)
        #expect(result.output.contains(message), "\(result.output)")
    }

    @Test func missingRootIsAnError() throws {
        let result = try Self.run(["generate", "--root", "/nonexistent-mm-root"])
        #expect(result.status == 1)
        #expect(result.output.hasPrefix("milter-manager-config: cannot read root directory /nonexistent-mm-root"))
    }
}
