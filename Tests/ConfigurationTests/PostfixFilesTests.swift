import Configuration
import Foundation
import MilterTestSupport
import Testing

/// `PostfixMainCf` and `PostfixMasterCf` on Debian's own files, on what an administrator
/// writes by hand, and against Debian's `postconf` (Postfix 3.7): the values must be the ones
/// Postfix uses.
@Suite struct PostfixFilesTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("postfix/" + name)))
    }

    @Test func debiansMasterCfHasAChrootedSMTPD() throws {
        let master = PostfixMasterCf(bytes: try Self.fixture("master.cf.debian"))
        let first = try #require(master.services.first)
        #expect(first.fields == ["smtp", "inet", "n", "-", "y", "-", "-", "smtpd"])
        #expect(first.line == 12)
        #expect(master.chrootedSMTPD?.line == 12)
        // Every line that starts a service in column 1; commented services (postscreen,
        // submission, ...) are not services.
        #expect(master.services.count == 31)
        #expect(!master.services.contains { $0.name.hasPrefix("#") || $0.command == "postscreen" })
        // Continuation lines belong to their service.
        let maildrop = try #require(master.services.first { $0.name == "maildrop" })
        #expect(maildrop.line == 93)
        #expect(
            maildrop.fields.suffix(5) == ["flags=DRXhu", "user=vmail", "argv=/usr/bin/maildrop", "-d", "${recipient}"])
        #expect(master.smtpProcessLimit(main: nil) == 100)
    }

    @Test func aServiceEditedByTheAdministrator() {
        let text = """
            # smtpd behind postscreen, chroot off, its own process limit
            smtp      inet  n       -       y       -       1       postscreen
            smtpd     pass  -       -       n       -       -       smtpd
            \t-o smtpd_milters=unix:/run/milter-manager/milter-manager.sock
            127.0.0.1:10025 inet n -     y       -       -       smtpd
            broken    inet  n       -
            """
        let master = PostfixMasterCf(text: text)
        #expect(master.services.map(\.name) == ["smtp", "smtpd", "127.0.0.1:10025"])
        #expect(master.services[1].fields.last == "smtpd_milters=unix:/run/milter-manager/milter-manager.sock")
        #expect(master.chrootedSMTPD?.name == "127.0.0.1:10025")
        #expect(master.chrootedSMTPD?.line == 5)
        #expect(master.smtpProcessLimit(main: nil) == 1)
        #expect(PostfixMasterCf(text: "pickup unix n - y 60 1 pickup\n").smtpProcessLimit(main: nil) == nil)
    }

    @Test func theProcessLimitDashIsMainCfsDefault() {
        let master = PostfixMasterCf(text: "smtp inet n - y - - smtpd\n")
        #expect(master.smtpProcessLimit(main: PostfixMainCf(text: "default_process_limit = 40\n")) == 40)
        #expect(master.smtpProcessLimit(main: PostfixMainCf(text: "default_process_limit = $other\n")) == 100)
        #expect(master.smtpProcessLimit(main: nil) == 100)
    }

    @Test func postfixsSampleMainCf() throws {
        let main = PostfixMainCf(bytes: try Self.fixture("main.cf.dist"))
        #expect(main.value(of: "mynetworks") == "127.0.0.0/8")
        #expect(main.value(of: "smtpd_banner") == "$myhostname ESMTP $mail_name (Debian/GNU)")
        #expect(main.parameters.first { $0.name == "debugger_command" }?.line == 629)
        #expect(
            main.value(of: "debugger_command")?.split(whereSeparator: { $0 == " " || $0 == "\t" })
                == [
                    "PATH=/bin:/usr/bin:/usr/local/bin:/usr/X11R6/bin", "ddd", "$daemon_directory/$process_name",
                    "$process_id", "&", "sleep", "5",
                ])
        #expect(main.value(of: "sendmail_path") == "")
        #expect(main.value(of: "queue_directory") == nil)
        #expect(main.queueDirectory == "/var/spool/postfix")
        #expect(main.defaultProcessLimit == 100)
    }

    /// main.cf texts an administrator (or an editor) leaves behind.
    static let hostileMainCfs: [String] = [
        "queue_directory = /x\r\nqueue_directory = /y\r\n",
        "mynetworks = 127.0.0.0/8\n  10.0.0.0/8\n#comment\n  192.168.0.0/16\n\n  172.16.0.0/12\n",
        "default_process_limit=  50  \nmyhostname=mx.example\t\n",
        "  leading = continuation with nothing before it\nmyhostname = a = b\n",
        "mydomain =\nmyhostname=\n",
        "myorigin = caf\u{E9}\n\tcontinued\u{0}nul\n",
    ]

    /// Lines Postfix refuses the whole file for (`postconf` exits 1) are skipped: the daemon
    /// reads what it can, and `postfix check` tells the administrator.
    @Test func linesPostfixRefusesAreSkipped() {
        let main = PostfixMainCf(text: "not a parameter\nmy name = spaced\n= no name\nmydomain = example.org\n")
        #expect(main.parameters.map { "\($0.line): \($0.name) = \($0.value)" } == ["4: mydomain = example.org"])
    }

    @Test(arguments: hostileMainCfs)
    func agreesWithPostconf(_ text: String) throws {
        let postconf = "/usr/sbin/postconf"
        try #require(FileManager.default.isExecutableFile(atPath: postconf), "Postfix is installed by make deps")
        let directory = try TestPaths.makeTemporaryDirectory("maincf")
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(text.utf8).write(to: directory.appendingPathComponent("main.cf"))
        let result = try Subprocess.capture(postconf, ["-c", directory.path, "-n"])
        #expect(result.status == 0, "\(result.error)")
        var expected: [String: String] = [:]
        for line in result.output.split(separator: "\n") {
            guard let range = line.range(of: " = ") ?? line.range(of: " =") else { continue }
            expected[String(line[..<range.lowerBound])] = String(line[range.upperBound...])
        }
        expected["config_directory"] = nil
        var actual: [String: String] = [:]
        let main = PostfixMainCf(text: text)
        for name in Set(main.parameters.map(\.name)) {
            // postconf shows a value with its blanks folded to single spaces.
            actual[name] = main.value(of: name)?.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(
                separator: " ")
        }
        #expect(actual == expected)
    }
}
