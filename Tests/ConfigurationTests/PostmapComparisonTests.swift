import Configuration
import Foundation
import MilterTestSupport
import Testing

/// The same tables and keys given to Debian's `postmap -q` (Postfix 3.7, installed by
/// scripts/install-deps.sh) and to our reader: the results must agree, so that an
/// administrator's existing Postfix tables mean the same here.
@Suite struct PostmapComparisonTests {
    static let postmap = "/usr/sbin/postmap"

    /// One table and the keys asked.
    struct Case: Sendable, CustomTestStringConvertible {
        var type: PostfixTableType
        var text: String
        var keys: [String]
        var testDescription: String { type.rawValue }
    }

    static let cases: [Case] = [
        Case(
            type: .cidr,
            text: """
                # client access, as in cidr_table(5)
                192.168.1.1             OK
                192.168.0.0/16          REJECT
                2001:db8::1             OK
                2001:db8::/32           REJECT
                !203.0.113.0/24         NOT-DOC
                if 10.0.0.0/8
                if !10.1.0.0/16
                10.2.0.0/16             INNER
                endif
                10.0.0.0/8              TEN
                endif
                """,
            keys: [
                "192.168.1.1", "192.168.7.7", "2001:db8::1", "2001:db8:0::2", "2001:db9::1", "203.0.113.5",
                "198.51.100.1", "10.2.1.1", "10.1.1.1", "10.9.9.9", "[192.168.1.1]",
            ]),
        Case(
            type: .regexp,
            text: """
                /^(dsl|dialup|ppp)[^.]*[0-9]/    DYNAMIC $1
                /\\.example\\.(com|net)$/         EXAMPLE-${1}
                !/\\./                           NO-DOT
                if /^mx/
                /\\.org$/                        MX-ORG
                endif
                /[[:digit:]]{5}/                 FIVE-DIGITS
                /CaSe/i                          EXACT-CASE
                /[]x]y/                          BRACKET
                """,
            keys: [
                "dsl123.example.org", "PPP-9.isp.example", "mail.example.com", "www.EXAMPLE.net", "localhost",
                "mx1.example.org", "host12345.example.jp", "CaSe.example.jp", "case.example.jp", "]y.example",
                "xy.example",
            ]),
        Case(
            type: .texthash,
            text: """
                # a Postfix access source
                Example.COM      OK
                spammer@example.net   REJECT go away
                  and stay away
                user@            LOCALPART
                192.0.2          NET
                example.com      DUPLICATE
                """,
            keys: ["example.com", "EXAMPLE.com", "spammer@example.net", "user@", "192.0.2", "other.example"]),
    ]

    @Test(arguments: cases)
    func resultsAgreeWithPostmap(_ testCase: Case) throws {
        let directory = TestFiles.temporaryDirectory("postmap")
        defer { TestFiles.remove(directory) }
        TestFiles.write("", to: directory + "/main.cf")
        let path = directory + "/table"
        TestFiles.write(testCase.text + "\n", to: path)
        let run = try Subprocess.capture(
            Self.postmap, ["-c", directory, "-q", "-", "\(testCase.type.rawValue):\(path)"],
            input: Data((testCase.keys.joined(separator: "\n") + "\n").utf8))
        var expected: [String: String] = [:]
        for line in run.output.split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            if parts.count == 2 { expected[String(parts[0])] = String(parts[1]) }
        }
        #expect(!expected.isEmpty, "postmap found nothing: \(run.error)")
        let (table, problems) = PostfixTable.parse(
            Array(testCase.text.utf8), reference: PostfixTableReference(type: testCase.type, path: path), file: path)
        #expect(problems.allSatisfy { $0.isWarning }, "\(problems)")
        for key in testCase.keys {
            #expect(table.lookup(key, as: .exact) == expected[key], "key \(key)")
        }
    }
}
