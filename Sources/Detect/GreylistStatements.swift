/// Splits milter-greylist's greylist.conf into statements the way its own lexer
/// (`conf_lex.l`) sees them, in one linear pass, without rejecting anything.
///
/// A statement ends at a newline, unless the newline follows a backslash (everything
/// between the backslash and the newline is skipped, comments included) or a `{` list is
/// still open. `#` at the start of a token begins a comment; `"…"` strings (with `\"`
/// escapes) and `/…/` regular expressions are single tokens, so a `#` or a backslash inside
/// them is not special. Unknown keywords and syntax are kept as plain words: the caller
/// looks only at the statements it needs. A line that starts with a top-level keyword while
/// a list is still open closes that list (an unclosed `{` does not swallow the file).
struct GreylistStatements {
    /// One token of a statement.
    enum Token: Hashable {
        /// A bare word (keyword, number, address, duration, ...).
        case word(String)
        /// A double-quoted string without its quotes (`\"` unescaped); `terminated` is
        /// false when the line ended before the closing quote.
        case quoted(String, terminated: Bool)
        /// A `/regex/` (its text is not needed).
        case regex
        /// `{` or `}`.
        case brace
    }

    /// One statement.
    struct Statement: Hashable {
        /// The line its first token is on (1-based).
        var line: Int
        /// Its tokens in order.
        var tokens: [Token]

        /// The first token as a keyword: lower-cased, without a trailing `:`.
        var keyword: String? {
            guard case .word(let word)? = tokens.first else { return nil }
            let lowered = word.lowercased()
            return lowered.hasSuffix(":") ? String(lowered.dropLast()) : lowered
        }
    }

    /// Keywords that only ever start a statement (used to recover from an unclosed `{`).
    private static let topLevelKeywords: Set<String> = [
        "socket", "racl", "acl", "dacl", "list", "pidfile", "dumpfile", "user", "greylist", "autowhite",
        "subnetmatch", "subnetmatch6", "quiet", "verbose", "stat", "dumpfreq",
    ]

    /// The statements of `text`, in order; empty statements are left out.
    static func parse(_ text: String) -> [Statement] {
        var lexer = Lexer(bytes: Array(text.utf8))
        return lexer.run()
    }

    private struct Lexer {
        let bytes: [UInt8]
        var index = 0
        var line = 1
        var depth = 0
        var statements: [Statement] = []
        var current = Statement(line: 1, tokens: [])

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func run() -> [Statement] {
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                    index += 1
                case UInt8(ascii: "\n"):
                    index += 1
                    line += 1
                    if depth == 0 || startsTopLevelStatement() {
                        depth = 0
                        finish()
                    }
                case UInt8(ascii: "#"):
                    skipToEndOfLine()
                case UInt8(ascii: "\\"):
                    // A continuation: the rest of the line and its newline are skipped.
                    skipToEndOfLine()
                    if index < bytes.count {
                        index += 1
                        line += 1
                    }
                case UInt8(ascii: "\""):
                    append(quoted())
                case UInt8(ascii: "{"):
                    depth += 1
                    index += 1
                    append(.brace)
                case UInt8(ascii: "}"):
                    depth = max(0, depth - 1)
                    index += 1
                    append(.brace)
                case UInt8(ascii: "/") where regexEnd() != nil:
                    index = regexEnd()! + 1
                    append(.regex)
                default:
                    append(.word(word()))
                }
            }
            finish()
            return statements
        }

        private mutating func append(_ token: Token) {
            if current.tokens.isEmpty { current.line = line }
            current.tokens.append(token)
        }

        private mutating func finish() {
            if !current.tokens.isEmpty { statements.append(current) }
            current = Statement(line: line, tokens: [])
        }

        private mutating func skipToEndOfLine() {
            while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
        }

        /// `"…"` from the opening quote; stops at the end of the line when unterminated.
        private mutating func quoted() -> Token {
            index += 1
            var value: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\n") { break }
                if byte == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                    value.append(UInt8(ascii: "\""))
                    index += 2
                    continue
                }
                index += 1
                if byte == UInt8(ascii: "\"") {
                    return .quoted(String(decoding: value, as: UTF8.self), terminated: true)
                }
                value.append(byte)
            }
            return .quoted(String(decoding: value, as: UTF8.self), terminated: false)
        }

        /// The index of the `/` closing a regex that starts at `index`, if the line has one.
        private func regexEnd() -> Int? {
            var position = index + 1
            while position < bytes.count, bytes[position] != UInt8(ascii: "\n") {
                if bytes[position] == UInt8(ascii: "\\") {
                    position += 2
                    continue
                }
                if bytes[position] == UInt8(ascii: "/") { return position > index + 1 ? position : nil }
                position += 1
            }
            return nil
        }

        private mutating func word() -> String {
            let start = index
            while index < bytes.count, !Self.endsWord(bytes[index]) { index += 1 }
            if index == start { index += 1 }  // a lone character that ends words by itself
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        private static func endsWord(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"), UInt8(ascii: "\""),
                UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "\\"):
                return true
            default:
                return false
            }
        }

        /// Whether the line starting at `index` begins with a top-level keyword.
        private func startsTopLevelStatement() -> Bool {
            var position = index
            while position < bytes.count, bytes[position] == UInt8(ascii: " ") || bytes[position] == UInt8(ascii: "\t")
            {
                position += 1
            }
            let start = position
            while position < bytes.count, !Self.endsWord(bytes[position]), bytes[position] != UInt8(ascii: ":") {
                position += 1
            }
            guard position > start, position - start <= 16 else { return false }
            let word = String(decoding: bytes[start..<position], as: UTF8.self).lowercased()
            return GreylistStatements.topLevelKeywords.contains(word)
        }
    }
}
