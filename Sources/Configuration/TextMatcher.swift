/// A list entry of the condition helpers: an exact string or a regular expression
/// (`s25r.add_whitelist("mx.example.com")`, `s25r.add_whitelist(/\.example\.com\z/)`).
public enum TextMatcher: Hashable, Sendable, CustomStringConvertible {
    /// Equal to this text.
    case exact(String)
    /// Matched by this regex (a search, not anchored).
    case regex(RubyRegex)

    /// Whether `text` matches.
    public func matches(_ text: String) -> Bool {
        switch self {
        case .exact(let expected): return text == expected
        case .regex(let regex): return regex.matches(text)
        }
    }

    /// Ruby literal spelling: `"text"` or `/regex/flags`.
    public var description: String {
        switch self {
        case .exact(let text): return RubyLiteral.inspect(text)
        case .regex(let regex): return regex.description
        }
    }
}
