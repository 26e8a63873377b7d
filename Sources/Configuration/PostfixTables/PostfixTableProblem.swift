import MilterSupport

/// What is wrong with one line of a Postfix lookup table (or with the whole file, line 0).
public enum PostfixTableProblem: Error, Hashable, Sendable {
    /// A NUL byte: a compiled `.db`/`.lmdb` file or other binary data instead of the text source.
    case binaryData
    /// A line without a result (`key` alone).
    case missingResult(String)
    /// A CIDR pattern that is not an address or `address/prefix`.
    case invalidNetwork(String)
    /// A CIDR network with bits set after the prefix (`192.168.1.1/16`).
    case hostBitsSet(String, suggestion: String)
    /// A regular-expression line that does not start with a delimiter, or lacks the closing one.
    case invalidPatternSyntax(String)
    /// A flag the table type does not know, or one this implementation cannot honour.
    case unsupportedFlag(Character, type: PostfixTableType)
    /// A pattern Swift's regex engine does not accept.
    case invalidRegex(String, reason: String)
    /// A pattern whose nested unbounded repetition (`(a+)+`) can take exponential time.
    case catastrophicRegex(String)
    /// `endif` without `if`.
    case endifWithoutIf
    /// `if` without `endif` (the line of the `if`).
    case ifWithoutEndif
    /// `if` followed by a result on the same line.
    case textAfterIf(String)
    /// More rules than a regular-expression table may hold (each is compiled at load).
    case tooManyRules(limit: Int)
    /// More errors than are worth listing.
    case tooManyErrors(limit: Int)
    /// A key seen before in a key-value table (the first one is kept, as postmap does).
    case duplicateKey(String)

    /// The one-line message.
    public var message: String {
        switch self {
        case .binaryData:
            return "the table holds binary data (a NUL byte)"
        case .missingResult(let key):
            return "expected \"key whitespace result\", found only \(quoted(key))"
        case .invalidNetwork(let text):
            return "invalid network \(quoted(text)): expected an IPv4 or IPv6 address, or address/prefix"
        case .hostBitsSet(let text, let suggestion):
            return "network \(quoted(text)) has bits set after its prefix; did you mean \(quoted(suggestion))?"
        case .invalidPatternSyntax(let text):
            return "invalid pattern \(quoted(text)): expected /regex/flags with the same delimiter at both ends"
        case .unsupportedFlag(let flag, let type):
            return "flag \"\(flag)\" is not supported in \(type.rawValue): tables"
        case .invalidRegex(let pattern, let reason):
            return "invalid regular expression \(quoted(pattern)): \(reason)"
        case .catastrophicRegex(let pattern):
            return "regular expression \(quoted(pattern)) repeats a repetition, which can take exponential time"
        case .endifWithoutIf:
            return "\"endif\" without \"if\""
        case .ifWithoutEndif:
            return "\"if\" without \"endif\""
        case .textAfterIf(let text):
            return "unexpected text after the \"if\" pattern: \(quoted(text))"
        case .tooManyRules(let limit):
            return "more than \(limit) rules"
        case .tooManyErrors(let limit):
            return "more than \(limit) errors; the rest of the table is not checked"
        case .duplicateKey(let key):
            return "duplicate key \(quoted(key)); the first one is used"
        }
    }

    /// A suggestion for the fix.
    public var hint: String? {
        switch self {
        case .binaryData:
            return "name the text source (hash:/etc/postfix/access), not the .db file postmap makes from it"
        case .unsupportedFlag(let flag, _) where flag == "x":
            return "basic (non-extended) POSIX regular expressions are not supported: write extended syntax"
        case .unsupportedFlag:
            return "the supported flags are i, m and x (regexp) and i, m, s, x and A (pcre)"
        case .catastrophicRegex:
            return "write the inner repetition once, e.g. (a+)+ as a+"
        case .tooManyRules:
            return "use a cidr: or hash: table for long lists: they need no compilation"
        case .missingResult, .invalidNetwork, .hostBitsSet, .invalidPatternSyntax, .invalidRegex, .endifWithoutIf,
            .ifWithoutEndif, .textAfterIf, .tooManyErrors, .duplicateKey:
            return nil
        }
    }

    /// Whether the table still loads (a warning) rather than failing (an error).
    public var isWarning: Bool {
        if case .duplicateKey = self { return true }
        return false
    }

    private func quoted(_ text: String) -> String { RubyLiteral.inspect(String(text.prefix(200))) }
}
