import MilterSupport
import Testing

@testable import Detect

/// The line-oriented shell readers: assignments, values, words, option arguments.
@Suite struct ShellParsingTests {
    struct AssignmentCase: Sendable, CustomTestStringConvertible {
        var line: String
        var allowsLowercase: Bool
        var expected: [String]  // NAME=raw
        var testDescription: String { line }
    }

    static let assignmentCases: [AssignmentCase] = [
        AssignmentCase(
            line: #"SOCKET="inet:11120@[127.0.0.1]""#, allowsLowercase: false,
            expected: [#"SOCKET="inet:11120@[127.0.0.1]""#]),
        AssignmentCase(line: #"[ -z "$X" ] && X=foo"#, allowsLowercase: false, expected: ["X=foo"]),
        AssignmentCase(
            line: "    export OPTIONS='-a b'  # comment", allowsLowercase: false, expected: ["OPTIONS='-a b'"]),
        AssignmentCase(line: "daemon --pidfile=$PIDFILE $prog", allowsLowercase: true, expected: []),
        AssignmentCase(line: #"prog="milter-greylist""#, allowsLowercase: true, expected: [#"prog="milter-greylist""#]),
        AssignmentCase(line: #"prog="milter-greylist""#, allowsLowercase: false, expected: []),
        AssignmentCase(line: "# SOCKET=/var/run/x.sock", allowsLowercase: false, expected: []),
        AssignmentCase(line: #"DESC="milter #1""#, allowsLowercase: false, expected: [#"DESC="milter #1""#]),
        AssignmentCase(line: "X=1; Y=2", allowsLowercase: false, expected: ["X=1"]),
        AssignmentCase(
            line: "CONFIG_SOCKET=`awk '{ print $2 }' /etc/x.conf`", allowsLowercase: false, expected: ["CONFIG_SOCKET="]
        ),
        AssignmentCase(line: "ENABLED=", allowsLowercase: false, expected: ["ENABLED="]),
        AssignmentCase(line: #"if [ "$ENABLED" = "0" ]; then"#, allowsLowercase: false, expected: []),
    ]

    @Test(arguments: assignmentCases)
    func findsAssignments(_ testCase: AssignmentCase) {
        let scanner = ShellAssignmentScanner(allowsLowercase: testCase.allowsLowercase)
        let found = scanner.assignments(in: testCase.line + "\n").map { "\($0.name)=\($0.raw)" }
        #expect(found == testCase.expected)
    }

    @Test func laterAssignmentsWinAndKeepTheirLines() {
        let text = "SOCKET=/a\nif false; then\n  SOCKET=/b\nfi\n"
        let found = ShellAssignmentScanner(allowsLowercase: false).assignments(in: text)
        #expect(found.map(\.line) == [1, 3])
        #expect(found.last?.raw == "/b")
    }

    @Test func readsCRLFScripts() {
        let found = ShellAssignmentScanner(allowsLowercase: false).assignments(in: "A=1\r\nSOCKET=\"/x\"\r\n")
        #expect(found.map(\.raw) == ["1", "\"/x\""])
        #expect(found.map(\.line) == [1, 2])
    }

    static let valueCases: [(String, String?)] = [
        (#""a $B c""#, "a x c"),
        ("'$B'", "$B"),
        ("$1", nil),
        ("${B}/d", "x/d"),
        // Beyond the original (which left these as written): the shell's defaults.
        ("${B:-y}", "x"),
        ("${U:-y}", "y"),
        ("${U-y}/${U:=z}", "y/z"),
        ("${B:+set}${U:+unset}", "set"),
        ("${U:-${B}/d}", "x/d"),
        // Forms detection cannot evaluate stay as written (and are then skipped as sockets).
        ("${B#x}", "${B#x}"),
        ("${U}", "${U}"),
        // Bounded: nesting deeper than 8 stays as written.
        (String(repeating: "${U:-", count: 10) + "v" + String(repeating: "}", count: 10), "${U:-${U:-v}}"),
        ("$UNKNOWN/x", "$UNKNOWN/x"),
        (#""$B""#, "x"),
        ("local:$B/$B.sock", "local:x/x.sock"),
        (#""""#, ""),
    ]

    @Test(arguments: valueCases)
    func normalizesValues(_ raw: String, _ expected: String?) {
        #expect(ShellValue.normalize(raw, lookup: { $0 == "B" ? "x" : nil }) == expected)
    }

    static let argumentCases: [(String, String, String?)] = [
        ("-u grmilter -p /run/g.sock", "-p", "/run/g.sock"),
        ("-p a -p b", "-p", "b"),
        ("--config-file=/etc/x.conf", "--config-file", "/etc/x.conf"),
        ("-p/x", "-p", "/x"),
        ("-p $SOCKET", "-p", nil),
        ("-f '/etc/mail/grey list.conf'", "-f", "/etc/mail/grey list.conf"),
        (#"-f "/etc/a\"b""#, "-f", #"/etc/a"b"#),
        ("-P /var/run/x.pid", "-p", nil),
        ("-p", "-p", nil),
        ("", "-p", nil),
    ]

    @Test(arguments: argumentCases)
    func findsOptionArguments(_ text: String, _ option: String, _ expected: String?) throws {
        #expect(ShellWords.argument(of: option, in: try ShellWords.split(text)) == expected)
    }

    @Test(arguments: [#"-p "/x"#, "-p '/x"])
    func rejectsUnbalancedQuotes(_ text: String) {
        #expect(throws: ShellWords.SplitError.self) { try ShellWords.split(text) }
    }

    @Test func escapesCommandOptions() {
        #expect(ShellQuoting.join(["start", "inet outer"]) == #"start inet\ outer"#)
        #expect(ShellQuoting.join(["start", "milter-greylist"]) == "start milter-greylist")
        #expect(ShellQuoting.join([""]) == "''")
    }

    static let defaultCases: [(String, String?, String?)] = [
        (#": ${miltergreylist_enable="NO"}"#, "enable", #""NO""#),
        (": ${miltergreylist_sockfile:=/var/x.sock}", "sockfile", "/var/x.sock"),
        (": ${miltergreylist_flags:-\"-a ${x}\"}", "flags", "\"-a ${x}\""),
        (": ${miltergreylist_runas-mailnull}", "runas", "mailnull"),
        ("pidfile=\"${miltergreylist_pidfile}\"", nil, nil),
        (": ${other_enable=NO}", nil, nil),
    ]

    @Test(arguments: defaultCases)
    func readsParameterDefaults(_ line: String, _ suffix: String?, _ value: String?) {
        let found = RCScript.parameterDefault(in: line[...], prefix: "miltergreylist_")
        #expect(found?.0 == suffix)
        #expect(found?.1 == value)
    }

    /// A quoted value may span lines; a quote never closed spoils only its own assignment.
    static let multiLineCases: [(text: String, found: [String], problems: [Int])] = [
        ("A=\"1\n2\"\nB=3\n", ["A=\"1\n2\"@1", "B=3@3"], []),
        ("A='x\ny' B=1\nC=2\n", ["A='x\ny'@1", "C=2@3"], []),
        ("A=\"a \\\" b\"\nB=2\n", ["A=\"a \\\" b\"@1", "B=2@2"], []),
        ("A=1\nSOCKET=\"inet:1@[127.0.0.1]\n\n#B=2\nC=3\n", ["A=1@1", "SOCKET=inet:1@[127.0.0.1]@2", "C=3@5"], [2]),
        // The shell would close X's quote on line 2, too.
        ("X=\"a\nY=\"b\nZ=1\n", ["X=\"a\nY=\"@1", "Z=1@3"], []),
    ]

    @Test(arguments: multiLineCases)
    func readsQuotedValuesOverLines(_ testCase: (text: String, found: [String], problems: [Int])) {
        let found = ShellAssignmentScanner(allowsLowercase: false).assignments(in: testCase.text)
        #expect(found.map { "\($0.name)=\($0.raw)@\($0.line)" } == testCase.found)
        #expect(found.filter { $0.problem != nil }.map(\.line) == testCase.problems)
    }
}
