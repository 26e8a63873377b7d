/// A regular expression written in Ruby syntax in the configuration (`/\.example\.com\z/i`).
///
/// Kept as written for printing; `pattern` is the same expression for Swift `Regex` (the
/// flags become inline options). The loader checks that it compiles.
public struct RubyRegex: Hashable, Sendable, CustomStringConvertible {
    /// The text between the slashes, as written (escapes kept).
    public var source: String
    /// `/i`: case-insensitive.
    public var ignoreCase: Bool
    /// `/m`: `.` also matches a newline (Ruby's multiline).
    public var multiline: Bool
    /// `/x`: blanks and `#` comments in the pattern are ignored.
    public var extended: Bool

    /// A regex.
    public init(source: String, ignoreCase: Bool = false, multiline: Bool = false, extended: Bool = false) {
        self.source = source
        self.ignoreCase = ignoreCase
        self.multiline = multiline
        self.extended = extended
    }

    /// The pattern for Swift `Regex(_:)`: inline options, then the source with `\/` unescaped.
    public var pattern: String {
        var options = ""
        if ignoreCase { options += "i" }
        if multiline { options += "s" }
        if extended { options += "x" }
        return (options.isEmpty ? "" : "(?\(options))") + source.replacingEscapedSlashes()
    }

    /// Ruby literal spelling: `/source/flags`.
    public var description: String {
        "/" + source + "/" + (ignoreCase ? "i" : "") + (multiline ? "m" : "") + (extended ? "x" : "")
    }

    /// Whether Swift's regex engine accepts `pattern`; the error text when it does not.
    public func compilationError() -> String? {
        do {
            _ = try Regex(pattern)
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// Whether the regex finds a match anywhere in `text` (Ruby `=~`).
    public func matches(_ text: String) -> Bool {
        guard let regex = try? Regex(pattern) else { return false }
        return (try? regex.firstMatch(in: text)) != nil
    }
}

extension String {
    /// `\/` → `/` (a slash needs no escape outside a Ruby literal).
    func replacingEscapedSlashes() -> String {
        var result = ""
        var escaped = false
        for character in self {
            if escaped {
                if character != "/" { result.append("\\") }
                result.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        if escaped { result.append("\\") }
        return result
    }
}
