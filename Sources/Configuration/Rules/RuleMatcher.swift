import MilterSupport

/// One entry of a rule's match list: an exact string, a regular expression, a network, a
/// Postfix lookup table, or (for a child's result) a status.
public enum RuleMatcher: Hashable, Sendable, CustomStringConvertible {
    /// Equal to the text (case-insensitive for names and addresses, see `RuleSubject.foldsCase`).
    case exact(String)
    /// Found by the regex somewhere in the text (compiled once at load).
    case regex(CompiledRubyRegex)
    /// An address inside the network (client addresses only).
    case network(IPAddressRange)
    /// Found in the table (a result other than `DUNNO`).
    case table(PostfixTable)
    /// The child's result is this one (child subjects only).
    case childResult(ChildResult)

    /// How it is written in the configuration: `"text"`, `/re/i`, `"192.0.2.0/24"`,
    /// `"cidr:/path"`, `:reject`.
    public var description: String {
        switch self {
        case .exact(let text): return RubyLiteral.inspect(text)
        case .regex(let regex): return regex.regex.description
        case .network(let range): return RubyLiteral.inspect(range.text)
        case .table(let table): return RubyLiteral.inspect(table.reference.description)
        case .childResult(let result): return ":" + result.rawValue
        }
    }

    /// Whether a client address matches, given as text and as its 4 or 16 bytes (parsed once
    /// for every matcher of a rule).
    public func matches(address text: String, bytes: [UInt8]) -> Bool {
        switch self {
        case .network(let range): return range.contains(bytes)
        case .table(let table): return table.matches(addressBytes: bytes)
        case .exact, .regex, .childResult: return matches(text, kind: .address, foldsCase: true)
        }
    }

    /// Whether `text` (the subject's value) matches; `kind` forms table keys, `foldsCase`
    /// compares exact strings without regard to case.
    public func matches(_ text: String, kind: LookupKeyKind, foldsCase: Bool) -> Bool {
        switch self {
        case .exact(let expected):
            guard foldsCase else { return text == expected }
            return text.utf8.count == expected.utf8.count && text.lowercased() == expected.lowercased()
        case .regex(let regex):
            return regex.matches(text)
        case .network(let range):
            guard let bytes = IPAddressRange.parseLookupAddress(text) else { return false }
            return range.contains(bytes)
        case .table(let table):
            return table.matches(text, as: kind)
        case .childResult:
            return false
        }
    }
}

/// A `RubyRegex` compiled once: the configuration's `/re/flags` on the hot path.
public struct CompiledRubyRegex: Hashable, Sendable {
    /// As written.
    public let regex: RubyRegex
    private let compiled: CompiledRegex

    /// Compiles `regex`; the reason when Swift's engine refuses it.
    public init(_ regex: RubyRegex) throws(ConfigurationErrorKind) {
        do {
            let compiled = try CompiledRegex.make(regex.pattern)
            _ = try compiled.firstMatch(in: "")
            self.compiled = CompiledRegex(regex: compiled)
        } catch {
            throw .invalidRegex(regex.description, reason: "\(error)")
        }
        if PatternShape.hasNestedUnboundedRepetition(regex.source) {
            throw .invalidRegex(
                regex.description, reason: "it repeats a repetition, which can take exponential time")
        }
        self.regex = regex
    }

    /// Whether it finds a match in `text` (never for text longer than
    /// `TableRegex.maximumSubjectLength`).
    public func matches(_ text: String) -> Bool {
        guard text.utf8.count <= TableRegex.maximumSubjectLength else { return false }
        return (try? compiled.regex.firstMatch(in: text)) != nil
    }

    public static func == (lhs: CompiledRubyRegex, rhs: CompiledRubyRegex) -> Bool { lhs.regex == rhs.regex }

    public func hash(into hasher: inout Hasher) { hasher.combine(regex) }
}
