import Foundation
import Testing

@testable import Detect

/// greylist.conf as milter-greylist writes and reads it: every upstream revision of its
/// sample files, and the constructs of its lexer, read tolerantly.
@Suite struct GreylistConfTests {
    /// Every revision of upstream's greylist.conf and greylist2.conf (Tests/Fixtures/greylist).
    static let corpus: [String] = {
        let directory = Fixtures.packageDirectory + "/Tests/Fixtures/greylist"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".conf") }.sorted()
    }()

    /// The revisions that carry a `socket` statement (2.1.7 on; greylist2.conf never does).
    static let withSocket: Set<String> = [
        "greylist-2.1.7-r1.35.conf", "greylist-3.0a1-r1.37.conf", "greylist-3.0a5-r1.38.conf",
        "greylist-3.0a5-r1.39.conf", "greylist-4.0a6-r1.40.conf", "greylist-4.0rc1-r1.41.conf",
        "greylist-4.0rc2-r1.42.conf", "greylist-4.0-r1.43.conf", "greylist-4.1.2-r1.44.conf",
        "greylist-4.1.12-r1.45.conf", "greylist-4.1.12-r1.46.conf", "greylist-4.3.5-r1.47.conf",
        "greylist-4.3.5-r1.48.conf",
    ]

    @Test func corpusHasEveryRevision() {
        #expect(Self.corpus.count == 52)
        #expect(Self.withSocket.isSubset(of: Set(Self.corpus)))
    }

    @Test(arguments: corpus)
    func everyUpstreamRevisionYieldsItsSocket(_ name: String) throws {
        let text = try String(
            contentsOfFile: Fixtures.packageDirectory + "/Tests/Fixtures/greylist/" + name, encoding: .utf8)
        let conf = GreylistConf(parsing: text)
        #expect(conf.socketProblem == nil)
        if Self.withSocket.contains(name) {
            #expect(conf.socket?.path == "/var/milter-greylist/milter-greylist.sock")
            #expect(conf.socket?.mode == nil)
            let line = try #require(conf.socket?.line)
            #expect(text.components(separatedBy: "\n")[line - 1].hasPrefix("socket \""))
        } else {
            #expect(conf.socket == nil)
        }
        #expect(conf.longestTarpit == nil)
    }

    /// One construct each: (text, socket path, mode, line, problem line, longest tarpit).
    static let constructs: [(String, String?, String?, Int?, Int?, Double?)] = [
        ("socket \"/s\" 660\n", "/s", "660", 1, nil, nil),
        ("SOCKET: \"/s\"\n", "/s", nil, 1, nil, nil),
        ("  socket \"/s\" 0660 # group may write\n", "/s", "0660", 1, nil, nil),
        // Later statements win; a comment line is no statement.
        ("socket \"/a\"\n# socket \"/b\"\nsocket \"inet:3000@127.0.0.1\"\n", "inet:3000@127.0.0.1", nil, 3, nil, nil),
        // A list over several lines, with backslashes and comments after them, or with none.
        ("list \"x\" addr { \\\n 10.0.0.0/8 \\ # ten\n socket \\\n}\nsocket \"/s\"\n", "/s", nil, 5, nil, nil),
        ("list \"x\" addr {\n  192.0.2.1\n  198.51.100.0/24\n}\nsocket \"/s\"\n", "/s", nil, 5, nil, nil),
        // An unclosed list does not swallow the rest of the file.
        ("list \"x\" addr { 192.0.2.1\nsocket \"/s\"\n", "/s", nil, 2, nil, nil),
        // Quotes with escapes, a regex with `#`, `\` and `"` in it, unknown statements.
        (
            "racl blacklist from /.*#\\\\.example\\.\"org/ msg \"say \\\"no\\\" # really\"\nsocket \"/s\"\n",
            "/s", nil, 2, nil, nil
        ),
        ("newfangled { option \"x\" }\ngeoip2db \"/db\"\nsocket \"/s\"\n", "/s", nil, 3, nil, nil),
        // CRLF line ends; bytes that are not UTF-8 elsewhere.
        ("quiet\r\nsocket \"/s\"\r\n", "/s", nil, 2, nil, nil),
        // Malformed socket statements: reported, and no socket.
        ("socket \"/s\n", nil, nil, nil, 1, nil),
        ("socket /s\n", nil, nil, nil, 1, nil),
        ("socket \"/s\" 644\n", nil, nil, nil, 1, nil),
        ("socket \"/s\" 660 extra\n", nil, nil, nil, 1, nil),
        ("socket \"\"\n", nil, nil, nil, 1, nil),
        // A good statement after a bad one wins; a bad one after a good one does not.
        ("socket /s\nsocket \"/t\"\n", "/t", nil, 2, nil, nil),
        ("socket \"/t\"\nsocket /s\n", nil, nil, nil, 2, nil),
        // Tarpits of racl and acl statements, over continuation lines too.
        ("racl greylist default tarpit 125s\nacl greylist default tarpit: 2m\n", nil, nil, nil, nil, 125),
        (
            "racl greylist list \"x\" \\\n  delay 30m \\\n  tarpit 1h\ndacl greylist default tarpit 1w\n", nil, nil,
            nil, nil, 3600
        ),
        ("racl greylist default tarpit many\n", nil, nil, nil, nil, nil),
    ]

    @Test(arguments: constructs)
    func readsConstructs(_ testCase: (String, String?, String?, Int?, Int?, Double?)) {
        let (text, path, mode, line, problemLine, tarpit) = testCase
        let conf = GreylistConf(parsing: text)
        #expect(conf.socket?.path == path)
        #expect(conf.socket?.mode == mode)
        #expect(conf.socket?.line == line)
        #expect(conf.socketProblem?.line == problemLine)
        #expect(conf.longestTarpit == tarpit)
    }

    /// Hostile input: huge, binary, deeply nested, one endless line. Every one ends, and only
    /// a socket statement that is there is reported.
    @Test func hostileInputEnds() {
        let lines = (0..<20_000).map { "racl whitelist addr 10.\($0 % 256).0.0/16 # \($0)" }
        var conf = GreylistConf(parsing: lines.joined(separator: "\n") + "\nsocket \"/s\"\n")
        #expect(conf.socket?.line == 20_001)
        conf = GreylistConf(parsing: String(repeating: "{", count: 200_000) + "\nsocket \"/s\"\n")
        #expect(conf.socket?.path == "/s")
        conf = GreylistConf(parsing: String(repeating: "\\", count: 100_000) + "\nsocket \"/s\"\n")
        #expect(conf.socket?.line == 2)  // the empty continued statement goes on with `socket`
        conf = GreylistConf(parsing: String(decoding: (0..<65_536).map { UInt8($0 % 256) }, as: UTF8.self))
        #expect(conf.socket == nil)
        conf = GreylistConf(parsing: "socket \"" + String(repeating: "x", count: 200_000))
        #expect(conf.socketProblem?.line == 1)
    }

    static let keyValueCases: [(String, String, Bool, String?, Int?)] = [
        ("MilterSocket /run/c.sock\n", "MilterSocket", false, "/run/c.sock", 1),
        ("  MilterSocket  inet:7357@localhost   # tcp\n", "MilterSocket", false, "inet:7357@localhost", 1),
        ("milter.socket:  inet:10025@127.0.0.1\n", "milter.socket", false, "inet:10025@127.0.0.1", 1),
        ("Socket = inet:8893@localhost\n", "Socket", true, "inet:8893@localhost", 1),
        ("socket local:/a\nSocket local:/b\n", "Socket", true, "local:/b", 2),
        ("socket local:/a\n", "Socket", false, nil, nil),
        ("Example\n", "Example", false, nil, 1),
        ("<<<<<<< ours\nMilterSocket /a\n=======\nMilterSocket /b\n>>>>>>> theirs\n", "MilterSocket", false, "/b", 4),
        ("#MilterSocket /a\n# MilterSocket /b\n", "MilterSocket", false, nil, nil),
        (
            "RejectMsg Rejecting harmful e-mail: %v found.\n", "RejectMsg", false,
            "Rejecting harmful e-mail: %v found.", 1
        ),
    ]

    @Test(arguments: keyValueCases)
    func readsKeyValueFiles(_ testCase: (String, String, Bool, String?, Int?)) {
        let (text, key, ignoringCase, value, line) = testCase
        let entry = KeyValueConf(parsing: text).last(key, ignoringCase: ignoringCase)
        #expect(entry?.value == value)
        #expect(entry?.line == line)
    }
}
