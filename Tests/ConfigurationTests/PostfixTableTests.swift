import Configuration
import Testing

/// Postfix lookup tables read as cidr_table(5), regexp_table(5), pcre_table(5) and postmap's
/// key-value source format describe them: lookups, and every bad line with its file:line.
@Suite struct PostfixTableTests {
    static func table(_ type: PostfixTableType, _ text: String) -> (PostfixTable, [ConfigurationError]) {
        PostfixTable.parse(Array(text.utf8), reference: PostfixTableReference(type: type, path: "/t"), file: "/t")
    }

    /// One lookup: table type and text, subject, key kind, expected result.
    struct Lookup: Sendable, CustomTestStringConvertible {
        var type: PostfixTableType
        var text: String
        var subject: String
        var kind: LookupKeyKind = .exact
        var expected: String?
        var testDescription: String { "\(type.rawValue): \(subject) → \(expected ?? "nil")" }
    }

    static let cidr = """
        # comment
        192.0.2.1          HOST
        192.0.2.0/24       NET
        [198.51.100.0]/24  BRACKETED
        2001:db8::/32      V6
        !10.0.0.0/8        NOT-TEN
        """

    static let nested = """
        if 10.0.0.0/8
        if !10.1.0.0/16
        10.2.0.0/16 TWO
        endif
        10.0.0.0/8 TEN
        endif
        0.0.0.0/0 ANY
        """

    static let regexp = """
        /^mail\\.(example)\\.com$/   ${1}-$1-$(1)-$$
        /UPPER/                      CASE-INSENSITIVE
        /Exact/i                     CASE-SENSITIVE
        !/\\.net$/                   NOT-NET
        """

    static let lookups: [Lookup] = [
        Lookup(type: .cidr, text: cidr, subject: "192.0.2.1", expected: "HOST"),
        Lookup(type: .cidr, text: cidr, subject: "192.0.2.77", expected: "NET"),
        Lookup(type: .cidr, text: cidr, subject: "[192.0.2.77]", expected: nil),
        Lookup(type: .cidr, text: cidr, subject: "198.51.100.9", expected: "BRACKETED"),
        Lookup(type: .cidr, text: cidr, subject: "2001:0db8:0000::5", expected: "V6"),
        Lookup(type: .cidr, text: cidr, subject: "2001:db9::5", expected: nil),
        Lookup(type: .cidr, text: cidr, subject: "10.9.9.9", expected: nil),
        Lookup(type: .cidr, text: cidr, subject: "203.0.113.1", expected: "NOT-TEN"),
        Lookup(type: .cidr, text: cidr, subject: "not an address", expected: nil),
        Lookup(type: .cidr, text: nested, subject: "10.2.3.4", expected: "TWO"),
        Lookup(type: .cidr, text: nested, subject: "10.1.3.4", expected: "TEN"),
        Lookup(type: .cidr, text: nested, subject: "11.1.3.4", expected: "ANY"),
        Lookup(type: .regexp, text: regexp, subject: "MAIL.example.com", expected: "example-example-example-$"),
        Lookup(type: .regexp, text: regexp, subject: "some upper thing.net", expected: "CASE-INSENSITIVE"),
        Lookup(type: .regexp, text: regexp, subject: "Exact.net", expected: "CASE-SENSITIVE"),
        Lookup(type: .regexp, text: regexp, subject: "exact.net", expected: nil),
        Lookup(type: .regexp, text: regexp, subject: "exact.org", expected: "NOT-NET"),
        Lookup(type: .regexp, text: "/[]a]x/ BRACKET\n/a[\\]b/ BACKSLASH\n", subject: "]x", expected: "BRACKET"),
        Lookup(type: .regexp, text: "/[]a]x/ BRACKET\n/a[\\]b/ BACKSLASH\n", subject: "a\\b", expected: "BACKSLASH"),
        Lookup(type: .regexp, text: "/[[:digit:]]{3}/ DIGITS\n", subject: "abc123", expected: "DIGITS"),
        Lookup(type: .regexp, text: "/\\<dsl/ WORD\n", subject: "adsl.dsl.example", expected: "WORD"),
        Lookup(type: .regexp, text: "#x# COMMENT-NOT-PATTERN\n", subject: "x", expected: nil),
        Lookup(type: .regexp, text: "|a/b| OTHER-DELIMITER\n", subject: "xa/by", expected: "OTHER-DELIMITER"),
        Lookup(
            type: .regexp, text: "if /\\.example\\.com$/\n/^mx/ MX\nendif\n/^mx/ OTHER-MX\n", subject: "mx.example.org",
            expected: "OTHER-MX"),
        Lookup(
            type: .regexp, text: "if /\\.example\\.com$/\n/^mx/ MX\nendif\n", subject: "mx1.example.com",
            expected: "MX"),
        Lookup(type: .pcre, text: "/^\\d+\\.dyn\\./ DYNAMIC\n", subject: "123.dyn.example", expected: "DYNAMIC"),
        Lookup(type: .pcre, text: "/a.b/s DOTALL\n", subject: "a\nb", expected: "DOTALL"),
        Lookup(type: .pcre, text: "/a.b/ NO-DOTALL\n", subject: "a\nb", expected: nil),
        Lookup(type: .pcre, text: "/ a b /x EXTENDED\n", subject: "ab", expected: "EXTENDED"),
        Lookup(type: .pcre, text: "/b/A ANCHORED\n", subject: "ab", expected: nil),
        Lookup(type: .pcre, text: "/(?<name>x)y/ NAMED-$1\n", subject: "xy", expected: "NAMED-x"),
        Lookup(
            type: .hash, text: "Example.COM  ok one\n  continued\nuser@ LOCAL\n", subject: "example.com",
            expected: "ok one  continued"),
        Lookup(
            type: .hash, text: "example.com DOMAIN\nuser@ LOCAL\n", subject: "<someone@mail.example.com>",
            kind: .emailAddress, expected: "DOMAIN"),
        Lookup(
            type: .texthash, text: "someone@example.com FULL\nexample.com DOMAIN\n", subject: "<someone@example.com>",
            kind: .emailAddress, expected: "FULL"),
        Lookup(
            type: .lmdb, text: "user@ LOCAL\n", subject: "user@elsewhere.example", kind: .emailAddress,
            expected: "LOCAL"),
        Lookup(
            type: .btree, text: ".example.com DOTTED\n", subject: "a.b.example.com", kind: .hostName, expected: "DOTTED"
        ),
        Lookup(type: .hash, text: "192.0.2 NET24\n", subject: "192.0.2.7", kind: .address, expected: "NET24"),
        Lookup(type: .hash, text: "2001:db8 V6\n", subject: "2001:db8:0:0::1", kind: .address, expected: "V6"),
        Lookup(type: .hash, text: "example.com X\n", subject: "example.com.evil", kind: .hostName, expected: nil),
    ]

    @Test(arguments: lookups)
    func lookupFindsTheFirstMatchingRule(_ lookup: Lookup) {
        let (table, problems) = Self.table(lookup.type, lookup.text)
        #expect(problems.isEmpty, "\(problems)")
        #expect(table.lookup(lookup.subject, as: lookup.kind) == lookup.expected)
    }

    /// A table with a mistake: the exact `file:line: message` of each problem.
    struct Mistake: Sendable, CustomTestStringConvertible {
        var type: PostfixTableType
        var text: String
        var messages: [String]
        var testDescription: String { messages.first ?? "" }
    }

    static let mistakes: [Mistake] = [
        Mistake(
            type: .cidr, text: "192.0.2.0/24\n",
            messages: [#"/t:1: expected "key whitespace result", found only "192.0.2.0/24""#]),
        Mistake(
            type: .cidr, text: "# ok\n192.0.2.300 X\n",
            messages: [
                #"/t:2: invalid network "192.0.2.300": expected an IPv4 or IPv6 address, or address/prefix"#
            ]),
        Mistake(
            type: .cidr, text: "192.168.1.1/16 X\n",
            messages: [
                #"/t:1: network "192.168.1.1/16" has bits set after its prefix; did you mean "192.168.0.0/16"?"#
            ]),
        Mistake(
            type: .cidr, text: "10.0.0.0/33 X\n",
            messages: [
                #"/t:1: invalid network "10.0.0.0/33": expected an IPv4 or IPv6 address, or address/prefix"#
            ]),
        Mistake(type: .cidr, text: "endif\n", messages: [#"/t:1: "endif" without "if""#]),
        Mistake(type: .cidr, text: "\nif 10.0.0.0/8\n10.0.0.0/8 X\n", messages: [#"/t:2: "if" without "endif""#]),
        Mistake(
            type: .regexp, text: "/a(/ X\n",
            messages: [#"/t:1: invalid regular expression "a(": "#]),
        Mistake(
            type: .regexp, text: "/abc X\n",
            messages: [#"/t:1: invalid pattern "/abc X": expected /regex/flags with the same delimiter at both ends"#]),
        Mistake(type: .regexp, text: "/a/x X\n", messages: [#"/t:1: flag "x" is not supported in regexp: tables"#]),
        Mistake(type: .pcre, text: "/a/U X\n", messages: [#"/t:1: flag "U" is not supported in pcre: tables"#]),
        Mistake(
            type: .pcre, text: "/^(a+)+$/ X\n",
            messages: [#"/t:1: regular expression "^(a+)+$" repeats a repetition, which can take exponential time"#]),
        Mistake(
            type: .regexp, text: "if /a/ RESULT\nendif\n",
            messages: [#"/t:1: unexpected text after the "if" pattern: "RESULT""#]),
        Mistake(type: .hash, text: "key\n", messages: [#"/t:1: expected "key whitespace result", found only "key""#]),
        Mistake(
            type: .hash, text: "a 1\nA 2\n", messages: [#"/t:2: duplicate key "A"; the first one is used"#]),
        Mistake(type: .hash, text: "a 1\nb\u{0}2\n", messages: ["/t:2: the table holds binary data (a NUL byte)"]),
    ]

    @Test(arguments: mistakes)
    func everyMistakeIsReportedAtItsLine(_ mistake: Mistake) {
        let (_, problems) = Self.table(mistake.type, mistake.text)
        #expect(problems.count == mistake.messages.count, "\(problems)")
        for (problem, expected) in zip(problems, mistake.messages) {
            #expect(problem.description.hasPrefix(expected), "\(problem.description)")
        }
    }

    @Test func aDuplicateKeyIsAWarningAndTheFirstWins() {
        let (table, problems) = Self.table(.hash, "a 1\nA 2\n")
        #expect(problems.allSatisfy { $0.isWarning })
        #expect(table.lookup("a", as: .exact) == "1")
    }

    @Test func aBinaryFileIsListedOnceNotLineByLine() {
        var bytes: [UInt8] = []
        for index in 0..<100_000 { bytes.append(UInt8(truncatingIfNeeded: index &* 31)) }
        let (_, problems) = PostfixTable.parse(
            bytes, reference: PostfixTableReference(type: .cidr, path: "/t.db"), file: "/t.db")
        #expect(problems.count == 1)
        #expect(problems.first?.tableProblem == .binaryData)
    }

    @Test func garbageTextStopsAfterTwentyErrors() {
        let text = (1...500).map { "not-a-network-\($0) X" }.joined(separator: "\n")
        let (_, problems) = Self.table(.cidr, text)
        #expect(problems.count == 21)
        #expect(problems.last?.tableProblem == .tooManyErrors(limit: 20))
    }

    @Test func deepNestingNeitherRecursesNorFails() {
        let depth = 50_000
        let text =
            String(repeating: "if 10.0.0.0/8\n", count: depth) + "10.1.2.3 DEEP\n"
            + String(repeating: "endif\n", count: depth)
        let (table, problems) = Self.table(.cidr, text)
        #expect(problems.isEmpty)
        #expect(table.lookup("10.1.2.3", as: .address) == "DEEP")
        #expect(table.lookup("10.1.2.4", as: .address) == nil)
    }

    @Test func regexTablesAreBoundedInRules() {
        let text = (0...RegexTable.maximumRules).map { "/r\($0)x/ R" }.joined(separator: "\n")
        let (_, problems) = Self.table(.regexp, text)
        #expect(problems.map(\.tableProblem) == [.tooManyRules(limit: RegexTable.maximumRules)])
    }

    @Test func overlongSubjectsAreNotMatchedByRegexTables() {
        let (table, _) = Self.table(.pcre, "/a/ A\n")
        #expect(table.lookup("a", as: .exact) == "A")
        #expect(table.lookup(String(repeating: "a", count: TableRegex.maximumSubjectLength + 1), as: .exact) == nil)
    }

    /// Shapes refused as exponential, and common shapes that stay accepted.
    @Test(arguments: [
        ("(a+)+", true), ("(a*)*b", true), ("(\\w+)*$", true), ("(x|y+)+", true), ("(?:ab+){2,}", true),
        ("(\\w+\\.)+example\\.com", false), ("a+b+", false), ("(ab)+", false), ("[(a+)]+", false),
        ("\\(a+\\)+", false), ("(a+)?", false),
    ])
    func nestedRepetitionIsDetected(_ pattern: String, _ refused: Bool) {
        #expect(PatternShape.hasNestedUnboundedRepetition(pattern) == refused)
    }

    /// access(5) key forms tried for each kind of subject, in order.
    @Test(arguments: [
        (LookupKeyKind.address, "192.0.2.7", ["192.0.2.7", "192.0.2", "192.0", "192"]),
        (
            .address, "[IPv6:2001:DB8:0:0:1::7]",
            ["2001:db8::1:0:0:7", "2001:db8::1:0:0", "2001:db8::1:0", "2001:db8::1", "2001:db8", "2001"]
        ),
        (.hostName, "MX.Example.COM.", ["mx.example.com", "example.com", ".example.com", "com", ".com"]),
        (.emailAddress, "<User@Example.com>", ["User@Example.com", "example.com", "com", ".com", "User@"]),
        (.emailAddress, "<>", [""]),
        (.exact, "X Y", ["X Y"]),
    ])
    func lookupKeysFollowAccessFive(_ kind: LookupKeyKind, _ subject: String, _ keys: [String]) {
        #expect(kind.keys(for: subject) == keys)
    }

    @Test(arguments: ["cidr:/a", "regexp:rel/x", "pcre:/p", "hash:/etc/postfix/access", "texthash:x"])
    func referencesParse(_ text: String) {
        #expect(PostfixTableReference(parsing: text)?.description == text)
    }

    @Test(arguments: ["mx.example.com", "2001:db8::1", "unknown:/x", "cidr:", "hash:{inline}", "proxy:hash:/x"])
    func otherTextIsNoReference(_ text: String) {
        #expect(PostfixTableReference(parsing: text) == nil)
    }

    @Test func dunnoCountsAsNotFound() {
        let (table, _) = Self.table(.cidr, "192.0.2.1 DUNNO\n192.0.2.0/24 OK\n")
        #expect(table.lookup("192.0.2.1", as: .address) == "DUNNO")
        #expect(!table.matches("192.0.2.1", as: .address))
        #expect(table.matches("192.0.2.2", as: .address))
    }
}
