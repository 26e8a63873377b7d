import Configuration
import Foundation
import MilterSupport
import MilterTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The built `milter-manager-config` against what a careless administrator or an attacker puts
/// in its way (issue 9, classes 3 to 6), on copies of fixture roots: every case either does the
/// right thing or stops with a clear message and the exit status interfaces.md gives, and then
/// nothing under the root (or outside it) has changed.
@Suite struct HostileCommandLineTests {
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try Subprocess.run(try TestPaths.product("milter-manager-config").path, arguments)
    }

    static let mainFile = "/etc/milter-manager/milter-manager.conf"

    // MARK: class 3: a configuration named that cannot be read is an error, never the default

    @Test(arguments: [["postfix"], ["postfix", "--apply"], ["sendmail"]])
    func aMissingConfigDirIsExit66AndWritesNothing(_ command: [String]) throws {
        let root = try FixtureRoots.copy("redhat-6/install-guide", label: "h3-missing")
        defer { ConfigGenFixtures.remove(root) }
        try ConfigGenFixtures.write("myhostname = mx\n", at: "/etc/postfix/main.cf", in: root)
        let before = try FixtureRoots.snapshot(root)
        let result = try Self.run(command + ["--root", root.path, "--config-dir", "/etc/no-such-dir"])
        #expect(result.status == 66, "\(result.output)")
        #expect(
            result.output.hasPrefix(
                "milter-manager-config: configuration directory /etc/no-such-dir does not exist; nothing was written"))
        #expect(!result.output.contains("smtpd_milters"))
        #expect(try FixtureRoots.snapshot(root) == before)
    }

    @Test func generateCreatesAMissingConfigDirInsideTheRoot() throws {
        let root = try FixtureRoots.copy("redhat-6/install-guide", label: "h3-gen")
        defer { ConfigGenFixtures.remove(root) }
        let result = try Self.run(["generate", "--root", root.path, "--config-dir", "/srv/new/milter-manager"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.hasPrefix("created /srv/new/milter-manager/milter-manager.conf"))
        let written = try #require(ConfigGenFixtures.read("/srv/new/milter-manager/milter-manager.conf", in: root))
        #expect(written.contains("load_default\n"))
    }

    /// What can stand where milter-manager.conf is expected, made under the root's host path.
    struct UnreadableCase: Sendable, CustomTestStringConvertible {
        var name: String
        var make: @Sendable (_ file: String) -> Void
        var reason: String
        var testDescription: String { name }
    }

    static let unreadableCases: [UnreadableCase] = [
        UnreadableCase(name: "FIFO", make: { mkfifo($0, 0o644) }, reason: "it is a FIFO, not a regular file"),
        UnreadableCase(
            name: "dangling link", make: { symlink("/etc/milter-manager/gone.conf", $0) },
            reason: "it is a dangling symbolic link"),
        UnreadableCase(
            name: "self link", make: { symlink("milter-manager.conf", $0) }, reason: "too many levels of symbolic links"
        ),
        UnreadableCase(name: "directory", make: { mkdir($0, 0o755) }, reason: "it is a directory, not a regular file"),
    ]

    static let unreadableCommands: [[String]] = [
        ["postfix"], ["postfix", "--apply"], ["sendmail"], ["generate"], ["generate", "--dry-run"],
    ]

    @Test(arguments: unreadableCases, unreadableCommands)
    func anUnreadableMilterManagerConfIsExit66NamingIt(_ row: UnreadableCase, _ command: [String]) throws {
        let root = try FixtureRoots.copy("redhat-6/install-guide", label: "h3-unreadable")
        defer { ConfigGenFixtures.remove(root) }
        try ConfigGenFixtures.write("myhostname = mx\n", at: "/etc/postfix/main.cf", in: root)
        try FileManager.default.createDirectory(
            atPath: root.path + "/etc/milter-manager", withIntermediateDirectories: true)
        row.make(root.path + Self.mainFile)
        let before = try FixtureRoots.snapshot(root)
        let result = try Self.run(command + ["--root", root.path])
        #expect(result.status == 66, "\(result.output)")
        #expect(
            result.output.contains("milter-manager-config: cannot read \(Self.mainFile): \(row.reason)"),
            "\(result.output)")
        #expect(!result.output.contains("smtpd_milters"))
        #expect(try FixtureRoots.snapshot(root) == before)
    }

    // MARK: class 4: nothing is written or read outside --root

    /// `ROOT/etc/milter-manager` linked to a directory of the host: the link is taken inside
    /// the root, where it leads nowhere; the host directory receives nothing.
    @Test func aConfigDirLinkedOutsideTheRootReceivesNothing() throws {
        let root = try FixtureRoots.copy("redhat-6/install-guide", label: "h4-link")
        let outside = try FixtureRoots.copy(nil, label: "h4-outside")
        defer {
            ConfigGenFixtures.remove(root)
            ConfigGenFixtures.remove(outside)
        }
        try FileManager.default.createSymbolicLink(
            atPath: root.path + "/etc/milter-manager", withDestinationPath: outside.path)
        let result = try Self.run(["generate", "--root", root.path])
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("is a symbolic link to a directory that does not exist"), "\(result.output)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty)
        // A link that climbs with `..` stops at the root: the file lands inside it.
        try FileManager.default.removeItem(atPath: root.path + "/etc/milter-manager")
        try FileManager.default.createSymbolicLink(
            atPath: root.path + "/etc/milter-manager", withDestinationPath: "../../../../../../../../srv")
        try FileManager.default.createDirectory(atPath: root.path + "/srv", withIntermediateDirectories: true)
        let climbing = try Self.run(["generate", "--root", root.path])
        #expect(climbing.status == 0, "\(climbing.output)")
        #expect(ConfigGenFixtures.read("/srv/milter-manager.conf", in: root)?.contains("load_default") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty)
    }

    /// `--dry-run` never prints a host file reached through a link: milter-manager.conf or
    /// main.cf linked to a file outside the root is read inside the root, where it dangles.
    @Test(arguments: [
        (["generate", "--dry-run"], mainFile, Int32(66)),
        (["postfix", "--apply", "--dry-run"], "/etc/postfix/main.cf", Int32(1)),
    ])
    func dryRunNeverShowsAHostFile(_ command: [String], _ linked: String, _ status: Int32) throws {
        let root = try FixtureRoots.copy("redhat-6/install-guide", label: "h4-dry")
        let outside = try FixtureRoots.copy(nil, label: "h4-secret")
        defer {
            ConfigGenFixtures.remove(root)
            ConfigGenFixtures.remove(outside)
        }
        try ConfigGenFixtures.write("secret = host-only-text\n", at: "/secret.conf", in: outside)
        let directory = String(linked[..<linked.lastIndex(of: "/")!])
        try FileManager.default.createDirectory(atPath: root.path + directory, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: root.path + linked, withDestinationPath: outside.path + "/secret.conf")
        let before = try FixtureRoots.snapshot(root)
        let result = try Self.run(command + ["--root", root.path])
        #expect(result.status == status, "\(result.output)")
        #expect(result.output.contains("cannot read \(linked): it is a dangling symbolic link"), "\(result.output)")
        #expect(!result.output.contains("host-only-text"))
        #expect(try FixtureRoots.snapshot(root) == before)
    }

    /// A relative --root is taken against the working directory: the files land under it and
    /// nothing is created at the host's `/`.
    @Test func aRelativeRootIsTakenAgainstTheWorkingDirectory() throws {
        let parent = try FixtureRoots.copy(nil, label: "h4-relative")
        defer { ConfigGenFixtures.remove(parent) }
        let name = "mm-relative-root-\(getpid())"
        let copy = try Subprocess.run(
            "/bin/cp", ["-a", FixtureRoots.path("redhat-6/install-guide"), parent.path + "/" + name])
        #expect(copy.status == 0)
        let tool = try TestPaths.product("milter-manager-config").path
        let result = try Subprocess.run(
            "/bin/sh", ["-c", "cd \"$1\" && exec \"$2\" generate --root \"$3\"", "sh", parent.path, tool, name])
        #expect(result.status == 0, "\(result.output)")
        #expect(ConfigGenFixtures.read("/\(name)\(Self.mainFile)", in: parent)?.contains("load_default") == true)
        #expect(!FileManager.default.fileExists(atPath: "/" + name))
    }

    // MARK: class 5: main.cf bytes are kept

    @Test func applyKeepsEveryOtherByteOfMainCf() throws {
        let root = try FixtureRoots.copy("redhat-6/install-guide", label: "h5-bytes")
        defer { ConfigGenFixtures.remove(root) }
        let comments = try Data(contentsOf: ConfigGenFixtures.postfixFile("main.cf.comments"))
        // The fixture with CRLF line ends, a NUL and Latin-1 bytes in comments and values.
        var original = Array(
            String(decoding: comments, as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n").utf8)
        original += Array("# NUL \0 and caf".utf8) + [0xE9] + Array("\r\nrelayhost = [relay.example]".utf8) + [0xA0]
        original += Array("\r\n".utf8)
        let path = root.path + "/etc/postfix/main.cf"
        try FileManager.default.createDirectory(atPath: root.path + "/etc/postfix", withIntermediateDirectories: true)
        try Data(original).write(to: URL(fileURLWithPath: path))

        let applied = try Self.run(["postfix", "--root", root.path, "--apply"])
        #expect(applied.status == 0, "\(applied.output)")
        let after = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(try Array(Data(contentsOf: URL(fileURLWithPath: path + ".bak"))) == original)
        func lines(_ bytes: [UInt8]) -> [[UInt8]] {
            bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
        }
        let isMilter: ([UInt8]) -> Bool = { line in
            ["milter_", "smtpd_milters", "    inet:127.0.0.1:8891"].contains { line.starts(with: Array($0.utf8)) }
        }
        #expect(lines(after).filter { !isMilter($0) } == lines(original).filter { !isMilter($0) })
        #expect(lines(after).dropLast().allSatisfy { $0.last == 0x0D })
        let again = try Self.run(["postfix", "--root", root.path, "--apply"])
        #expect(again.output == "/etc/postfix/main.cf is up to date\n")
    }

    @Test func aFIFOMainCfIsRefusedWithoutHanging() throws {
        let root = try FixtureRoots.copy("redhat-6/install-guide", label: "h5-fifo")
        defer { ConfigGenFixtures.remove(root) }
        try FileManager.default.createDirectory(atPath: root.path + "/etc/postfix", withIntermediateDirectories: true)
        mkfifo(root.path + "/etc/postfix/main.cf", 0o644)
        let result = try Self.run(["postfix", "--root", root.path, "--apply"])
        #expect(result.status == 1)
        #expect(
            result.output
                == "milter-manager-config: cannot read /etc/postfix/main.cf: it is a FIFO, not a regular file\n")
    }

    /// master.cf decides how the socket is spelled: CRLF line ends are read, and a master.cf
    /// that cannot be read stops the command rather than guessing.
    @Test func masterCfWithCRLFIsReadAndAFIFOMasterCfIsAnError() throws {
        let root = try FixtureRoots.copy(nil, label: "h5-master")
        defer { ConfigGenFixtures.remove(root) }
        try ConfigGenFixtures.write(
            "manager.connection_spec = \"unix:/var/spool/postfix/milter-manager/mm.sock\"\n", at: Self.mainFile,
            in: root)
        try ConfigGenFixtures.write(
            "# service type  private unpriv  chroot  wakeup  maxproc command\r\n"
                + "smtp      inet  n       -       y       -       -       smtpd\r\n", at: "/etc/postfix/master.cf",
            in: root)
        let crlf = try Self.run(["postfix", "--root", root.path])
        #expect(crlf.status == 0, "\(crlf.output)")
        #expect(crlf.output.hasSuffix("smtpd_milters = unix:/milter-manager/mm.sock\n"))
        try FileManager.default.removeItem(atPath: root.path + "/etc/postfix/master.cf")
        mkfifo(root.path + "/etc/postfix/master.cf", 0o644)
        let fifo = try Self.run(["postfix", "--root", root.path])
        #expect(fifo.status == 1)
        #expect(
            fifo.output
                == "milter-manager-config: cannot read /etc/postfix/master.cf: it is a FIFO, not a regular file\n")
    }

    // MARK: class 6: values never become statements

    @Test(arguments: [
        ("unix:/run/a b.sock", ["postfix"], "Postfix splits smtpd_milters at spaces"),
        ("unix:/run/a,b.sock", ["postfix", "--apply"], "Postfix splits smtpd_milters at commas"),
        ("unix:/run/$myhostname.sock", ["postfix"], "Postfix expands $ in main.cf values"),
        ("unix:/run/{a}.sock", ["postfix"], "Postfix reads braces in smtpd_milters as per-milter settings"),
        ("unix:/run/it's.sock", ["sendmail"], "m4 reads quotes in sendmail.mc"),
        ("unix:/run/a,b.sock", ["sendmail"], "Sendmail separates the equates of a filter with commas"),
    ])
    func aSocketTheMTACannotTakeIsExit78WithItsLine(_ spec: String, _ command: [String], _ reason: String) throws {
        let root = try FixtureRoots.copy("redhat-6/install-guide", label: "h6-spec")
        defer { ConfigGenFixtures.remove(root) }
        try ConfigGenFixtures.write("myhostname = mx\n", at: "/etc/postfix/main.cf", in: root)
        try ConfigGenFixtures.write(
            "# the manager's socket\nmanager.connection_spec = \(RubyLiteral.inspect(spec))\n", at: Self.mainFile,
            in: root)
        let before = try FixtureRoots.snapshot(root)
        let result = try Self.run(command + ["--root", root.path])
        #expect(result.status == 78, "\(result.output)")
        #expect(
            result.output.hasPrefix(
                "milter-manager-config: \(Self.mainFile):2: manager.connection_spec \(RubyLiteral.inspect(spec)) "
                    + "cannot be written in "),
            "\(result.output)")
        #expect(result.output.contains(reason + "; choose a socket without it; nothing was written"))
        #expect(result.output.split(separator: "\n").count == 1)
        #expect(try FixtureRoots.snapshot(root) == before)
    }

    /// A newline in manager.connection_spec is refused when the configuration loads: it never
    /// reaches main.cf as a parameter of its own, and the message stays on one line.
    @Test func aNewlineInTheManagerSocketIsAConfigurationError() throws {
        let root = try FixtureRoots.copy("redhat-6/install-guide", label: "h6-newline")
        defer { ConfigGenFixtures.remove(root) }
        try ConfigGenFixtures.write("myhostname = mx\n", at: "/etc/postfix/main.cf", in: root)
        try ConfigGenFixtures.write(
            "manager.connection_spec = \"unix:/run/mm.sock\\ncontent_filter = evil:[127.0.0.1]:10026\"\n",
            at: Self.mainFile, in: root)
        let before = try FixtureRoots.snapshot(root)
        let result = try Self.run(["postfix", "--root", root.path, "--apply"])
        #expect(result.status == 78, "\(result.output)")
        #expect(result.output.hasPrefix("milter-manager-config: \(Self.mainFile):1: "), "\(result.output)")
        #expect(result.output.contains("unix socket path contains a control character"))
        #expect(!result.output.contains("\ncontent_filter"))
        #expect(try FixtureRoots.snapshot(root) == before)
    }

    /// A newline in `SOCKET=` of a milter's own file (a shell string may span lines) reaches
    /// only comments of the generated file, escaped: the file loads with the same statements.
    @Test func aNewlineInAMilterSocketNeverBecomesAStatement() throws {
        let root = try FixtureRoots.copy("redhat-6/install-guide", label: "h6-inject")
        defer { ConfigGenFixtures.remove(root) }
        try ConfigGenFixtures.write(
            "SOCKET=\"/var/run/x.sock\nmanager.connection_spec = \\\"inet:2525@evil.example\\\"\n#\"\n",
            at: "/etc/sysconfig/spamass-milter", in: root)
        let result = try Self.run(["generate", "--root", root.path])
        #expect(result.status == 0, "\(result.output)")
        let written = try #require(ConfigGenFixtures.read(Self.mainFile, in: root))
        let statements = written.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }
        #expect(
            statements == [
                "package.platform = \"redhat\"", "load_default", "load_if_exist \"milter-manager.local.conf\"",
            ])
        #expect(written.contains("#   warning: /etc/sysconfig/spamass-milter:1: "))
        let loaded = ConfigurationLoader(root: root.path, platform: .redhat, detector: nil).load()
        #expect(loaded.errors.isEmpty, "\(loaded.errors)")
        #expect(loaded.configuration.manager.connectionSpec.provenance == .default)
        // Every message line of the tool is one line, too.
        #expect(!result.output.contains("\nmanager.connection_spec"))
    }
}
