import ConfigGen
import Configuration
import Foundation
import MilterProtocol
import MilterTestSupport
import Testing

/// The main.cf lines (`postfix --print`), their application to main.cf through Augeas
/// (`postfix --apply`), and the Sendmail line.
@Suite struct PostfixTests {
    static let managerSocket = ConnectionSpec.unix(path: "/var/run/milter-manager/milter-manager.sock")

    static func settings(_ spec: ConnectionSpec = managerSocket) throws -> PostfixSettings {
        try PostfixSettings(connectionSpec: spec, templates: ConfigGenFixtures.templates)
    }

    /// A root holding `Tests/Fixtures/postfix/<fixture>` as etc/postfix/main.cf.
    static func rootWithMainCf(_ fixture: String, label: String) throws -> URL {
        let root = try FixtureRoots.copy(nil, label: label)
        let text = try String(contentsOf: ConfigGenFixtures.postfixFile(fixture), encoding: .utf8)
        try ConfigGenFixtures.write(text, at: "/etc/postfix/main.cf", in: root)
        return root
    }

    @Test func printedLines() throws {
        let settings = try Self.settings()
        #expect(
            settings.parameters.map(\.name) == [
                "milter_protocol", "milter_default_action", "milter_mail_macros", "smtpd_milters",
            ])
        #expect(
            settings.text.hasSuffix(
                """
                milter_protocol = 6
                milter_default_action = accept
                milter_mail_macros = {auth_author} {auth_type} {auth_authen}
                smtpd_milters = unix:/var/run/milter-manager/milter-manager.sock

                """))
    }

    @Test(arguments: [
        ("inet:10025@127.0.0.1", "inet:127.0.0.1:10025", "inet:10025@127.0.0.1"),
        ("inet:10025", "inet:127.0.0.1:10025", "inet:10025@127.0.0.1"),
        ("inet:10025@[192.0.2.1]", "inet:192.0.2.1:10025", "inet:10025@192.0.2.1"),
        ("inet:10025@mail.example.org", "inet:mail.example.org:10025", "inet:10025@mail.example.org"),
        ("inet6:10025@[::1]", "inet:[::1]:10025", "inet6:10025@::1"),
        ("local:/run/mm.sock", "unix:/run/mm.sock", "unix:/run/mm.sock"),
    ])
    func socketSpellings(_ manager: String, _ postfix: String, _ sendmail: String) throws {
        let spec = try ConnectionSpec(parsing: manager)
        #expect(try Self.settings(spec).parameters.last?.value == postfix)
        #expect(
            try SendmailSnippet.render(connectionSpec: spec, templates: ConfigGenFixtures.templates)
                == "INPUT_MAIL_FILTER(`milter-manager', `S=\(sendmail)')\n")
    }

    /// The manager's socket comes from milter-manager.conf under the root (its local file
    /// included), or the platform default.
    @Test func managerSocketFromTheConfiguration() throws {
        let root = try FixtureRoots.copy("debian-12/packages", label: "pf-socket")
        defer { ConfigGenFixtures.remove(root) }
        // Debian's default socket.
        #expect(
            try ManagerSocket(root: root.path).resolve().spec == .unix(path: "/run/milter-manager/milter-manager.sock"))
        try ConfigGenFixtures.write(
            "load_if_exist \"milter-manager.local.conf\"\n", at: "/etc/milter-manager/milter-manager.conf", in: root)
        try ConfigGenFixtures.write(
            "manager.connection_spec = \"inet:10030@[127.0.0.1]\"\n",
            at: "/etc/milter-manager/milter-manager.local.conf",
            in: root)
        #expect(try ManagerSocket(root: root.path).resolve().spec == .inet(port: 10030, host: .address("127.0.0.1")))
        try ConfigGenFixtures.write(
            "manager.connection_spec = \"inet:\"\n", at: "/opt/etc/milter-manager.conf", in: root)
        #expect {
            _ = try ManagerSocket(root: root.path, configDirectory: "/opt/etc").resolve()
        } throws: { error in
            guard let error = error as? ConfigGenError, case .configurationInvalid(let errors) = error else {
                return false
            }
            return error.exitStatus == 78 && errors.first?.location.file == "/opt/etc/milter-manager.conf"
                && errors.first?.location.line == 1
        }
    }

    /// A main.cf with comments, continuation lines and an older milter set-up: only the
    /// milter parameters change (golden file), a second run changes nothing.
    @Test func applyToMainCfWithCommentsAndContinuationLines() throws {
        let root = try Self.rootWithMainCf("main.cf.comments", label: "pf-apply")
        defer { ConfigGenFixtures.remove(root) }
        let editor = PostfixMainEditor(root: root.path, settings: try Self.settings())
        let plan = try editor.plan()
        #expect(!plan.isUpToDate)
        #expect(plan.notes.count == 1)
        #expect(plan.notes.first?.contains("unix:/var/run/spamass/spamass.sock inet:127.0.0.1:8891") == true)
        Golden.check(plan.newText, "postfix-apply-comments/main.cf.after")
        Golden.check(plan.diff, "postfix-apply-comments/main.cf.diff")
        let changed = plan.diff.split(separator: "\n").filter {
            ($0.hasPrefix("+") || $0.hasPrefix("-")) && !$0.hasPrefix("+++") && !$0.hasPrefix("---")
        }
        #expect(!changed.isEmpty)
        for line in changed {
            let text = line.dropFirst()
            #expect(
                text.hasPrefix("milter_") || text.hasPrefix("smtpd_milters")
                    || text.hasPrefix("    inet:127.0.0.1:8891"),
                "unexpected change: \(line)")
        }

        #expect(try editor.write(plan) == .replaced(backup: "/etc/postfix/main.cf.bak"))
        let original = try String(contentsOf: ConfigGenFixtures.postfixFile("main.cf.comments"), encoding: .utf8)
        #expect(ConfigGenFixtures.read("/etc/postfix/main.cf.bak", in: root) == original)
        #expect(ConfigGenFixtures.read("/etc/postfix/main.cf", in: root) == plan.newText)

        let before = try FixtureRoots.snapshot(root)
        let again = try editor.plan()
        #expect(again.isUpToDate)
        #expect(again.notes.isEmpty)
        #expect(try editor.write(again) == .unchanged)
        #expect(try FixtureRoots.snapshot(root) == before)
    }

    /// The same socket spelled differently in main.cf is left alone.
    @Test func sameSocketInAnotherSpellingIsUpToDate() throws {
        let root = try FixtureRoots.copy(nil, label: "pf-same")
        defer { ConfigGenFixtures.remove(root) }
        try ConfigGenFixtures.write(
            """
            milter_protocol = 6
            milter_default_action = accept
            milter_mail_macros = {auth_author}  {auth_type} {auth_authen}
            smtpd_milters = local:/var/run/milter-manager/milter-manager.sock

            """, at: "/etc/postfix/main.cf", in: root)
        #expect(try PostfixMainEditor(root: root.path, settings: try Self.settings()).plan().isUpToDate)
    }

    @Test func brokenMainCfIsRefusedAndUntouched() throws {
        let root = try Self.rootWithMainCf("main.cf.broken", label: "pf-broken")
        defer { ConfigGenFixtures.remove(root) }
        let before = try FixtureRoots.snapshot(root)
        #expect {
            _ = try PostfixMainEditor(root: root.path, settings: try Self.settings()).plan()
        } throws: { error in
            guard let error = error as? ConfigGenError, case .mainCfUnparsable(let path, let line, _, _) = error else {
                return false
            }
            return path == "/etc/postfix/main.cf" && line == 3 && error.exitStatus == 1
                && error.description.hasPrefix("/etc/postfix/main.cf:3: cannot parse")
        }
        #expect(try FixtureRoots.snapshot(root) == before)
    }

    @Test func missingMainCf() throws {
        let root = try FixtureRoots.copy(nil, label: "pf-missing")
        defer { ConfigGenFixtures.remove(root) }
        #expect(throws: ConfigGenError.mainCfMissing(path: "/etc/postfix/main.cf")) {
            _ = try PostfixMainEditor(root: root.path, settings: try Self.settings()).plan()
        }
    }
}

/// A chrooted smtpd (master.cf `chroot` = y, as on Debian) resolves unix paths inside the
/// queue directory.
@Suite struct PostfixChrootTests {
    static let debianMasterCf = """
        # ==========================================================================
        # service type  private unpriv  chroot  wakeup  maxproc command + args
        # ==========================================================================
        smtp      inet  n       -       y       -       -       smtpd
        #submission inet n       -       y       -       -       smtpd
        pickup    unix  n       -       y       60      1       pickup
          -o content_filter=

        """

    static func root(masterCf: String?, mainCf: String = "") throws -> URL {
        let root = try FixtureRoots.copy(nil, label: "pf-chroot")
        if let masterCf { try ConfigGenFixtures.write(masterCf, at: "/etc/postfix/master.cf", in: root) }
        try ConfigGenFixtures.write(mainCf, at: "/etc/postfix/main.cf", in: root)
        return root
    }

    @Test func chrootedSmtpdIsFoundWithItsLineAndQueueDirectory() throws {
        let debian = try Self.root(masterCf: Self.debianMasterCf)
        let moved = try Self.root(masterCf: Self.debianMasterCf, mainCf: "queue_directory = /srv/postfix\n")
        let plain = try Self.root(
            masterCf: Self.debianMasterCf.replacingOccurrences(
                of: "-       y       -       -       smtpd", with: "-       n       -       -       smtpd"))
        let none = try Self.root(masterCf: nil)
        defer { for root in [debian, moved, plain, none] { ConfigGenFixtures.remove(root) } }
        #expect(
            try PostfixChroot.detect(root: debian.path)
                == PostfixChroot(directory: "/var/spool/postfix", masterCfLine: 4))
        #expect(try PostfixChroot.detect(root: moved.path)?.directory == "/srv/postfix")
        #expect(try PostfixChroot.detect(root: plain.path) == nil)
        #expect(try PostfixChroot.detect(root: none.path) == nil)
    }

    @Test func socketUnderTheQueueDirectoryIsSpelledRelativeToIt() {
        let chroot = PostfixChroot(directory: "/var/spool/postfix", masterCfLine: 4)
        let inside = ConnectionSpec.unix(path: "/var/spool/postfix/milter-manager/milter-manager.sock")
        #expect(chroot.adjusted(inside) == .unix(path: "/milter-manager/milter-manager.sock"))
        #expect(chroot.problem(with: inside) == nil)
        let inet = ConnectionSpec.inet(port: 10025, host: .address("127.0.0.1"))
        #expect(chroot.adjusted(inet) == inet)
        #expect(chroot.problem(with: inet) == nil)
        let outside = ConnectionSpec.unix(path: "/run/milter-manager/milter-manager.sock")
        #expect(chroot.adjusted(outside) == outside)
        #expect(
            chroot.problem(with: outside)?.hasPrefix(
                "smtpd runs chrooted in /var/spool/postfix (/etc/postfix/master.cf:4), so Postfix looks for "
                    + "/var/spool/postfix/run/milter-manager/milter-manager.sock") == true)
    }

    @Test func postfixCommandPrintsTheChrootSpellingAndWarns() throws {
        let root = try Self.root(masterCf: Self.debianMasterCf)
        defer { ConfigGenFixtures.remove(root) }
        try ConfigGenFixtures.write(
            "manager.connection_spec = \"unix:/run/milter-manager/milter-manager.sock\"\n",
            at: "/etc/milter-manager/milter-manager.conf", in: root)
        let tool = try TestPaths.product("milter-manager-config").path
        let unreachable = try Subprocess.run(tool, ["postfix", "--root", root.path])
        #expect(unreachable.status == 0)
        #expect(
            unreachable.output.contains("milter-manager-config: warning: smtpd runs chrooted in /var/spool/postfix"))
        #expect(unreachable.output.contains("smtpd_milters = unix:/run/milter-manager/milter-manager.sock\n"))

        try ConfigGenFixtures.write(
            "manager.connection_spec = \"unix:/var/spool/postfix/milter-manager/milter-manager.sock\"\n",
            at: "/etc/milter-manager/milter-manager.conf", in: root)
        let inside = try Subprocess.run(tool, ["postfix", "--root", root.path])
        #expect(inside.status == 0)
        #expect(!inside.output.contains("warning"))
        #expect(inside.output.hasSuffix("smtpd_milters = unix:/milter-manager/milter-manager.sock\n"))
    }
}
