import MilterSupport
import MilterTestSupport
import Testing

/// `ShellQuoting` against what Ruby's `Shellwords.escape` writes, and against a real shell:
/// every escaped word must come back from `/bin/sh` as the word itself.
@Suite struct ShellQuotingTests {
    /// (word, Ruby's `Shellwords.escape(word)`).
    static let rubyCases: [(String, String)] = [
        ("", "''"),
        ("start", "start"),
        ("inet outer", #"inet\ outer"#),
        ("a,b:c+d@e_f-g.h/i", "a,b:c+d@e_f-g.h/i"),
        ("it's", #"it\'s"#),
        ("$HOME `id` *", #"\$HOME\ \`id\`\ \*"#),
        ("a\nb", "a'\n'b"),
        // CR LF is one Character in Swift but two scalars for Ruby: the LF keeps its quotes.
        ("a\r\nb", "a\\\r'\n'b"),
        ("é", #"\é"#),
        // A combining accent after an ASCII letter: the letter stays, the accent is escaped.
        ("e\u{301}", "e\\\u{301}"),
    ]

    @Test(arguments: rubyCases)
    func escapesAsRubyDoes(_ word: String, _ expected: String) {
        #expect(ShellQuoting.escape(word) == expected)
    }

    @Test func joinsWordsWithSpaces() {
        #expect(ShellQuoting.join(["start", "inet outer", ""]) == #"start inet\ outer ''"#)
        #expect(ShellQuoting.join([]) == "")
    }

    static let hostileWords = [
        "", "plain", "two words", "a\nb", "a\r\nb", "semi;colon && echo pwned", "$(touch /tmp/x)", "`id`",
        "quote\"s 'and' \\back\\slash", "glob * ? [a]", "tab\there", "~user", "#comment", "é 😀",
    ]

    @Test(arguments: hostileWords)
    func aRealShellReadsTheWordBack(_ word: String) throws {
        let result = try Subprocess.capture("/bin/sh", ["-c", "printf %s " + ShellQuoting.escape(word)])
        #expect(result.status == 0)
        #expect(result.output == word)
    }
}
