import MilterSupport

/// A list entry of the condition helpers: an exact string, a regular expression or a Postfix
/// lookup table (`s25r.add_whitelist("mx.example.com")`, `s25r.add_whitelist(/\.example\.com\z/)`,
/// `s25r.add_whitelist("regexp:/etc/milter-manager/s25r-whitelist")`).
public enum TextMatcher: Hashable, Sendable, CustomStringConvertible {
    /// Equal to this text.
    case exact(String)
    /// Matched by this regex (a search, not anchored).
    case regex(RubyRegex)
    /// Found in this table (a result other than `DUNNO`).
    case table(PostfixTable)

    /// Whether `text` matches; `kind` decides the keys a key-value table is searched with.
    public func matches(_ text: String, as kind: LookupKeyKind = .exact) -> Bool {
        switch self {
        case .exact(let expected): return text == expected
        case .regex(let regex): return regex.matches(text)
        case .table(let table): return table.matches(text, as: kind)
        }
    }

    /// Ruby literal spelling: `"text"`, `/regex/flags` or `"TYPE:PATH"`.
    public var description: String {
        switch self {
        case .exact(let text): return RubyLiteral.inspect(text)
        case .regex(let regex): return regex.description
        case .table(let table): return RubyLiteral.inspect(table.reference.description)
        }
    }
}

/// A Remote Network entry: a network (`"192.0.2.0/24"`) or a Postfix lookup table
/// (`"cidr:/etc/postfix/mynetworks.cidr"`).
public enum AddressMatcher: Hashable, Sendable, CustomStringConvertible {
    /// Inside this network.
    case range(IPAddressRange)
    /// Found in this table.
    case table(PostfixTable)

    /// Whether the address (4 or 16 bytes) matches.
    public func contains(_ bytes: [UInt8]) -> Bool {
        switch self {
        case .range(let range): return range.contains(bytes)
        case .table(let table): return table.matches(addressBytes: bytes)
        }
    }

    /// The text as written.
    public var text: String {
        switch self {
        case .range(let range): return range.text
        case .table(let table): return table.reference.description
        }
    }

    /// The text as written.
    public var description: String { text }
}
