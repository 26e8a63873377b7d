import MilterSupport
import Testing

/// `ControlCharacters`: one printable line out of any text.
@Suite struct ControlCharactersTests {
    /// (text, `escaped(text)`, `escaped(text, doublingBackslashes: false)`).
    static let cases: [(String, String, String)] = [
        ("plain text", "plain text", "plain text"),
        (#"back\slash"#, #"back\\slash"#, #"back\slash"#),
        ("two\nlines\r\n", #"two\nlines\r\n"#, #"two\nlines\r\n"#),
        ("tab\there", #"tab\there"#, #"tab\there"#),
        ("nul\u{0}esc\u{1B}del\u{7F}c1\u{85}", #"nul\x00esc\x1Bdel\x7Fc1\x85"#, #"nul\x00esc\x1Bdel\x7Fc1\x85"#),
        ("é 😀", "é 😀", "é 😀"),
    ]

    @Test(arguments: cases)
    func escapesControlCharacters(_ text: String, _ escaped: String, _ keepingBackslashes: String) {
        #expect(ControlCharacters.escaped(text) == escaped)
        #expect(ControlCharacters.escaped(text, doublingBackslashes: false) == keepingBackslashes)
        #expect(!ControlCharacters.contains(in: ControlCharacters.escaped(text)))
    }

    @Test func escapesOnlyWhenNeeded() {
        #expect(ControlCharacters.escapedIfNeeded(#"a\b"#) == #"a\b"#)
        #expect(ControlCharacters.escapedIfNeeded("a\\b\n") == #"a\\b\n"#)
        #expect(ControlCharacters.contains(in: "a\u{9F}"))
        #expect(!ControlCharacters.contains(in: "a\u{A0}"))
    }
}
