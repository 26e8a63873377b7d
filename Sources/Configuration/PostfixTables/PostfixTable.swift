import MilterSupport

/// A Postfix lookup table loaded from its file: what a condition rule, an S25R or Trust list
/// entry, or a Remote Network range names as `"cidr:/path"`, `"regexp:/path"`, `"pcre:/path"`
/// or `"hash:/path"` (the text source). Loaded with the configuration, so a reload (SIGHUP)
/// reads it again.
///
/// A subject *matches* a table when the lookup finds a result other than `DUNNO` (Postfix's
/// "as if not found"); the result text is otherwise not used by conditions.
public struct PostfixTable: Hashable, Sendable, CustomStringConvertible {
    /// The table as written.
    public var reference: PostfixTableReference
    /// The path it was read from, inside the root.
    public var resolvedPath: String
    /// The rules.
    public var content: Content

    /// The rules by format.
    public enum Content: Hashable, Sendable {
        /// `cidr:`.
        case cidr(CIDRTable)
        /// `regexp:` / `pcre:`.
        case regex(RegexTable)
        /// `hash:` and the other key-value types.
        case keyValue(KeyValueTable)
    }

    /// The largest table file read: 16 MiB.
    public static let sizeLimit = 16 << 20

    /// Reads and parses the table at `resolvedPath` inside `root`; the problems found, warnings
    /// included (the table is usable when none is an error).
    public static func load(
        _ reference: PostfixTableReference, resolvedPath: String, root: RootDirectory
    ) throws(FileReadError) -> (table: PostfixTable, problems: [ConfigurationError]) {
        let bytes = try root.readBytes(resolvedPath, limit: sizeLimit)
        return parse(bytes, reference: reference, file: resolvedPath)
    }

    /// Parses table bytes read from `file`.
    public static func parse(_ bytes: [UInt8], reference: PostfixTableReference, file: String) -> (
        table: PostfixTable, problems: [ConfigurationError]
    ) {
        if let nul = bytes.firstIndex(of: 0) {
            let line = bytes[..<nul].reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            let empty = PostfixTable(
                reference: reference, resolvedPath: file, content: .keyValue(KeyValueTable(entries: [:])))
            return (empty, [ConfigurationError(.invalidTable(.binaryData), at: SourceLocation(file: file, line: line))])
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let content: Content
        let problems: [ConfigurationError]
        switch reference.type.format {
        case .cidr:
            let parsed = CIDRTable.parse(text, file: file)
            (content, problems) = (.cidr(parsed.table), parsed.errors)
        case .regexp, .pcre:
            let parsed = RegexTable.parse(text, file: file, type: reference.type)
            (content, problems) = (.regex(parsed.table), parsed.errors)
        case .keyValue:
            let parsed = KeyValueTable.parse(text, file: file)
            (content, problems) = (.keyValue(parsed.table), parsed.errors)
        }
        return (PostfixTable(reference: reference, resolvedPath: file, content: content), problems)
    }

    /// The result for `subject`: a CIDR table looks the subject up as an address, a regex table
    /// matches the whole subject, a key-value table tries the keys `kind` gives (access(5)).
    public func lookup(_ subject: String, as kind: LookupKeyKind) -> String? {
        switch content {
        case .cidr(let table): return table.lookup(address: subject)
        case .regex(let table): return table.lookup(subject)
        case .keyValue(let table): return table.lookup(kind.keys(for: subject))
        }
    }

    /// Whether `subject` matches: a result was found and it is not `DUNNO`.
    public func matches(_ subject: String, as kind: LookupKeyKind) -> Bool {
        guard let result = lookup(subject, as: kind) else { return false }
        return !Self.isDunno(result)
    }

    /// Whether an address given as 4 or 16 bytes matches (CIDR tables compare bytes; the others
    /// see the address's usual text).
    public func matches(addressBytes bytes: [UInt8]) -> Bool {
        let result: String?
        switch content {
        case .cidr(let table): result = table.lookup(bytes: bytes)
        case .regex, .keyValue: result = lookup(IPAddressRange.text(of: bytes), as: .address)
        }
        return result.map { !Self.isDunno($0) } ?? false
    }

    static func isDunno(_ result: String) -> Bool {
        let word = result.prefix { !$0.isWhitespace }
        return word.count == 5 && word.uppercased() == "DUNNO"
    }

    /// `TYPE:PATH` as written.
    public var description: String { reference.description }
}
