import MilterSupport

/// One token of the configuration language (a Ruby subset).
struct Token: Hashable, Sendable {
    /// What the token is.
    enum Kind: Hashable, Sendable {
        /// `foo`, `foo?`, `foo!`.
        case identifier(String)
        /// `Foo` (Ruby constants; only reported as unsupported).
        case constant(String)
        /// A Ruby keyword other than `do`, `end`, `true`, `false`, `nil`.
        case keyword(String)
        /// `do`.
        case doKeyword
        /// `end`.
        case endKeyword
        /// `true` or `false`.
        case bool(Bool)
        /// `nil`.
        case nilKeyword
        /// An integer literal.
        case integer(Int)
        /// A float literal.
        case float(Double)
        /// A string literal (escapes resolved).
        case string(String)
        /// `/regex/flags`.
        case regex(RubyRegex)
        /// `:name`.
        case symbol(String)
        /// `name:` (a keyword argument label).
        case label(String)
        /// `.`, `,`, `(`, `)`, `[`, `]`, `{`, `}`, `|`, `=`, `+=`, `=>`, `;`.
        case punctuation(String)
        /// Any other operator (`+`, `==`, `&&`, `<<`, ...; only reported as unsupported).
        case operatorSymbol(String)
        /// End of a line (statements end here unless the grammar continues).
        case newline
        /// Text the lexer could not read; the parser reports it and skips the line.
        case invalid(ConfigurationErrorKind)
        /// End of the file.
        case endOfFile
    }

    /// The kind.
    var kind: Kind
    /// 1-based line.
    var line: Int
    /// 1-based column.
    var column: Int
    /// Whether blanks separate it from the previous token on the same line.
    var spaceBefore: Bool
    /// A provenance comment on the line right above, when this token starts its line.
    var annotation: Provenance?

    /// How the token reads in an error message.
    var display: String {
        switch kind {
        case .identifier(let name), .constant(let name), .keyword(let name): return "\"\(name)\""
        case .doKeyword: return "\"do\""
        case .endKeyword: return "\"end\""
        case .bool(let value): return "\"\(value)\""
        case .nilKeyword: return "\"nil\""
        case .integer(let value): return "\(value)"
        case .float(let value): return RubyLiteral.float(value)
        case .string(let text): return "string \(RubyLiteral.inspect(text))"
        case .regex(let regex): return "regular expression \(regex)"
        case .symbol(let name): return ":\(name)"
        case .label(let name): return "\"\(name):\""
        case .punctuation(let text), .operatorSymbol(let text): return "\"\(text)\""
        case .newline: return "end of line"
        case .invalid(let kind): return kind.message
        case .endOfFile: return "end of file"
        }
    }
}
