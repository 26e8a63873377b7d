import MilterSupport
import Testing

/// JSON string literals: one escaping for the detection report and the control socket.
struct JSONLiteralTests {
    @Test(arguments: [
        ("plain", #""plain""#),
        ("a\"b\\c", #""a\"b\\c""#),
        ("line\nreturn\rtab\t", #""line\nreturn\rtab\t""#),
        ("\u{0}\u{1}\u{1F}\u{7F}", #""\u0000\u0001\u001f\u007f""#),
        ("sep\u{2028}para\u{2029}", #""sep\u2028para\u2029""#),
        ("é ✓ 𝄞", "\"é ✓ 𝄞\""),
    ])
    func quotesAsJSONReadersExpect(_ text: String, _ expected: String) {
        #expect(JSONLiteral.quoted(text) == expected)
        var output = "["
        JSONLiteral.append(text, to: &output)
        #expect(output == "[" + expected)
    }
}
