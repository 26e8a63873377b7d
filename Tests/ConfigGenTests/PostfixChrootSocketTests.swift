import Foundation
import MilterTestSupport
import Testing

/// Issue 11 §5 and §3: Debian's Postfix runs smtpd chrooted; `generate` puts the socket where
/// it can reach it and `postfix --apply` names it relative to the chroot, with no hand edit;
/// and a socket set in the original's /etc/default file is the one main.cf names.
@Suite struct PostfixChrootSocketTests {
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try Subprocess.run(try TestPaths.product("milter-manager-config").path, arguments)
    }

    /// `manager.connection_spec` as the daemon would load it from `root`.
    static func daemonSocket(_ root: URL) throws -> String {
        let show = try Subprocess.capture(
            try TestPaths.product("milter-manager").path, ["--root", root.path, "--show-config"])
        #expect(show.status == 0, "\(show.error)")
        let line = try #require(show.output.split(separator: "\n").first { $0.hasPrefix("manager.connection_spec = ") })
        return String(line.dropFirst("manager.connection_spec = \"".count).dropLast())
    }

    @Test func generateThenApplyGiveASocketAndAMainCfLineThatMatch() throws {
        let root = try FixtureRoots.copy("debian-12/postfix-chroot", label: "chroot")
        defer { ConfigGenFixtures.remove(root) }
        let generated = try Self.run(["generate", "--root", root.path])
        #expect(generated.status == 0, "\(generated.output)")
        let applied = try Self.run(["postfix", "--root", root.path, "--apply"])
        #expect(applied.status == 0, "\(applied.output)")
        #expect(!applied.output.contains("warning"), "\(applied.output)")

        let socket = try Self.daemonSocket(root)
        #expect(socket == "unix:/var/spool/postfix/milter-manager/milter-manager.sock")
        let mainCf = try String(contentsOf: root.appendingPathComponent("etc/postfix/main.cf"), encoding: .utf8)
        let milters = try #require(mainCf.split(separator: "\n").first { $0.hasPrefix("smtpd_milters = ") })
        // The chrooted smtpd resolves the path inside /var/spool/postfix.
        #expect("unix:/var/spool/postfix" + milters.dropFirst("smtpd_milters = unix:".count) == socket)
        let show = try Subprocess.run(
            try TestPaths.product("milter-manager").path, ["--root", root.path, "--show-config"])
        #expect(show.output.contains("manager.unix_socket_group = \"postfix\""))
    }

    @Test func withoutAChrootNothingChanges() throws {
        let root = try FixtureRoots.copy("debian-12/postfix-chroot", label: "nochroot")
        defer { ConfigGenFixtures.remove(root) }
        let masterCf = root.appendingPathComponent("etc/postfix/master.cf")
        let text = try String(contentsOf: masterCf, encoding: .utf8)
        // The administrator turns smtpd's chroot off (the 5th column).
        try text.replacingOccurrences(
            of: "smtp      inet  n       -       y       -       -       smtpd",
            with: "smtp      inet  n       -       n       -       -       smtpd"
        ).write(to: masterCf, atomically: true, encoding: .utf8)
        #expect(try Self.run(["generate", "--root", root.path]).status == 0)
        let written = try String(
            contentsOf: root.appendingPathComponent("etc/milter-manager/milter-manager.conf"), encoding: .utf8)
        #expect(!written.contains("manager.connection_spec"))
        #expect(try Self.daemonSocket(root) == "unix:/run/milter-manager/milter-manager.sock")
    }

    /// The original's Debian install guide sets CONNECTION_SPEC in /etc/default/milter-manager;
    /// the unit passes it as --connection-spec, so main.cf must name that socket.
    @Test(arguments: [
        (
            "CONNECTION_SPEC=unix:/var/spool/postfix/milter-manager/from-default.sock\n",
            "unix:/milter-manager/from-default.sock"
        ),
        ("CONNECTION_SPEC=\"inet:10030@[127.0.0.1]\"\n", "inet:127.0.0.1:10030"),
        ("OPTION_ARGS=\"--verbose --connection-spec=inet:10031@[127.0.0.1]\"\n", "inet:127.0.0.1:10031"),
        ("CONNECTION_SPEC=\nOPTION_ARGS=\"-s inet:10032@[127.0.0.1]\"\n", "inet:127.0.0.1:10032"),
    ])
    func theServiceDefaultsFileWins(_ lines: String, _ expected: String) throws {
        let root = try FixtureRoots.copy("debian-12/postfix-chroot", label: "svcdef")
        defer { ConfigGenFixtures.remove(root) }
        #expect(try Self.run(["generate", "--root", root.path]).status == 0)
        let defaults = root.appendingPathComponent("etc/default/milter-manager")
        try FileManager.default.createDirectory(
            at: defaults.deletingLastPathComponent(), withIntermediateDirectories: true)
        try lines.write(to: defaults, atomically: true, encoding: .utf8)
        let printed = try Self.run(["postfix", "--root", root.path, "--print"])
        #expect(printed.status == 0, "\(printed.output)")
        #expect(printed.output.contains("smtpd_milters = \(expected)\n"), "\(printed.output)")
    }
}
