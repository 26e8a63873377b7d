import MilterSupport
import Testing

/// `RubyLiteral` against what Ruby's `String#inspect` and `String#dump` write.
@Suite struct RubyLiteralTests {
    /// (text, `text.inspect`, `text.dump`).
    static let cases: [(String, String, String)] = [
        ("plain", #""plain""#, #""plain""#),
        (#"a"b\c"#, #""a\"b\\c""#, #""a\"b\\c""#),
        ("line\nnext\ttab\rcr", #""line\nnext\ttab\rcr""#, #""line\nnext\ttab\rcr""#),
        ("\u{1B}\u{07}\u{08}\u{0B}\u{0C}", #""\e\a\b\v\f""#, #""\e\a\b\v\f""#),
        ("\u{01}", #""\u0001""#, #""\u0001""#),
        ("#{x} #$y #@z # {", ##""\#{x} \#$y \#@z # {""##, ##""\#{x} \#$y \#@z # {""##),
        ("é", #""é""#, #""\u00E9""#),
        ("😀", #""😀""#, #""\u{1F600}""#),
    ]

    @Test(arguments: cases)
    func quotesAsRubyDoes(_ text: String, _ inspected: String, _ dumped: String) {
        #expect(RubyLiteral.inspect(text) == inspected)
        #expect(RubyLiteral.dump(text) == dumped)
    }

    @Test func writesOtherValuesAsRubyDoes() {
        #expect(RubyLiteral.inspect(nil as String?) == "nil")
        #expect(RubyLiteral.inspect(["a", "b c"]) == #"["a", "b c"]"#)
        #expect(RubyLiteral.octal(0o660) == "0660")
        #expect(RubyLiteral.octal(0) == "0")
        #expect(RubyLiteral.float(297) == "297.0")
        #expect(RubyLiteral.float(0.5) == "0.5")
    }
}
