import Testing

@testable import MilterControl

/// The JSON reader of the control and launcher protocols: valid lines read back to the value
/// that wrote them; hostile lines are errors, never crashes.
@Suite("JSON lines")
struct JSONParserTests {
    static let roundTrips: [JSONValue] = [
        .null, .bool(true), .bool(false), .integer(0), .integer(-42), .integer(9_007_199_254_740_991), .number(0.25),
        .string(""), .string("plain"), .string("quote \" backslash \\ slash /"),
        .string("line\nbreak\r\ttab \u{0} nul \u{1B}[31m escape \u{7F} del"), .string("separators \u{2028}\u{2029}"),
        .string("ünïcödé 日本 🙂"), .array([]), .array([.integer(1), .string("two"), .null]),
        .object([]), .object([("b", .integer(1)), ("a", .array([.object([("x", .bool(true))])]))]),
    ]

    @Test(arguments: roundTrips)
    func whatIsWrittenReadsBack(_ value: JSONValue) throws {
        let text = value.text
        #expect(!text.contains("\n") && !text.contains("\r"), "one line: \(text)")
        #expect(try JSONParser.parse(text) == value)
    }

    static let accepted: [(String, JSONValue)] = [
        (" {\"command\" : \"status\"} \r\n", .object([("command", .string("status"))])),
        ("[1e2, -0.5E-1, 0]", .array([.number(100), .number(-0.05), .integer(0)])),
        ("\"\\u00e9\\ud83d\\ude42\\/\"", .string("é🙂/")),
        ("{\"a\":1,\"a\":2}", .object([("a", .integer(1))])),
    ]

    @Test(arguments: accepted)
    func validTextIsRead(_ text: String, _ expected: JSONValue) throws {
        #expect(try JSONParser.parse(text) == expected)
    }

    static let refused: [(String, [UInt8])] = [
        ("empty", []),
        ("blank", Array("   ".utf8)),
        ("trailing data", Array("{} {}".utf8)),
        ("unterminated string", Array("\"abc".utf8)),
        ("raw newline in a string", Array("\"a\nb\"".utf8)),
        ("invalid UTF-8", [0x22, 0xFF, 0xFE, 0x22]),
        ("overlong UTF-8", [0x22, 0xC0, 0xAF, 0x22]),
        ("lone high surrogate", Array("\"\\ud800\"".utf8)),
        ("lone low surrogate", Array("\"\\udc00x\"".utf8)),
        ("bad escape", Array("\"\\q\"".utf8)),
        ("short unicode escape", Array("\"\\u12\"".utf8)),
        ("number too large", Array("1e999".utf8)),
        ("number too long", Array(String(repeating: "1", count: 400).utf8)),
        ("leading zero", Array("01".utf8)),
        ("bare minus", Array("-".utf8)),
        ("single quotes", Array("{'a':1}".utf8)),
        ("missing colon", Array("{\"a\" 1}".utf8)),
        ("trailing comma", Array("[1,]".utf8)),
        ("too deep", Array((String(repeating: "[", count: 33) + String(repeating: "]", count: 33)).utf8)),
        ("binary", [0x00, 0x01, 0x02, 0x80, 0xFF]),
        ("NaN", Array("NaN".utf8)),
    ]

    @Test(arguments: refused)
    func hostileTextIsAnError(_ name: String, _ bytes: [UInt8]) {
        #expect(throws: JSONParseError.self, "\(name)") { try JSONParser.parse(bytes) }
    }

    @Test func nestingUpToTheLimitIsRead() throws {
        let depth = JSONParser.maximumDepth
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(throws: Never.self) { try JSONParser.parse(text) }
    }

    @Test func numbersThatAreNotJSONAreWrittenAsNull() {
        #expect(JSONValue.number(.nan).text == "null")
        #expect(JSONValue.number(.infinity).text == "null")
    }
}
