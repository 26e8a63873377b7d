/// The text source of a `hash:`/`btree:`/`lmdb:` table (`texthash:`), read as `postmap` reads
/// it: `key value` per logical line, keys case-folded, the first of duplicate keys kept.
public struct KeyValueTable: Hashable, Sendable {
    /// Lower-cased keys and their results.
    var entries: [String: String]

    /// The table read from `text`.
    static func parse(_ text: String, file: String) -> (table: KeyValueTable, errors: [ConfigurationError]) {
        var entries: [String: String] = [:]
        var errors = TableErrors(file: file)
        for line in LogicalLine.split(text) {
            let (key, value) = line.keyAndRest
            guard !value.isEmpty else {
                errors.add(.missingResult(key), line: line.line)
                continue
            }
            let folded = key.lowercased()
            if entries[folded] != nil {
                errors.add(.duplicateKey(key), line: line.line)
                continue
            }
            entries[folded] = value
        }
        return (KeyValueTable(entries: entries), errors.all)
    }

    /// The result for exactly `key` (case-insensitive).
    public func lookup(exact key: String) -> String? { entries[key.lowercased()] }

    /// The result for the first of `keys` found.
    public func lookup(_ keys: [String]) -> String? {
        for key in keys { if let result = lookup(exact: key) { return result } }
        return nil
    }

    /// How many keys it holds.
    public var count: Int { entries.count }
}

/// What a subject is, which decides the keys a key-value table is searched with (access(5)).
public enum LookupKeyKind: Hashable, Sendable {
    /// The subject itself only (macro and header values).
    case exact
    /// A client address: `192.0.2.1`, then `192.0.2`, `192.0`, `192` (IPv6: the address in its
    /// compressed form, then with the last `:`-part removed, and so on).
    case address
    /// A host or domain name: `mx.example.com`, then each parent `example.com` and
    /// `.example.com`, `com` and `.com` (Postfix's default parent-domain style, and the
    /// leading-dot style too).
    case hostName
    /// An e-mail address (`<user@example.com>`, brackets optional): `user@example.com`, then the
    /// domain as a host name, then `user@`.
    case emailAddress

    /// The keys to try for `subject`, in order.
    public func keys(for subject: String) -> [String] {
        switch self {
        case .exact:
            return [subject]
        case .address:
            guard let bytes = IPAddressRange.parseLookupAddress(subject) else { return [subject] }
            let text = IPAddressRange.text(of: bytes)
            let separator: Character = bytes.count == 4 ? "." : ":"
            var parts = text.split(separator: separator, omittingEmptySubsequences: false)
            var keys = [text]
            while parts.count > 1 {
                parts.removeLast()
                let key = parts.joined(separator: String(separator))
                if !key.isEmpty, !key.hasSuffix(String(separator)) { keys.append(key) }
            }
            return keys
        case .hostName:
            var name = subject.lowercased()
            if name.hasSuffix(".") { name.removeLast() }
            var keys = [name]
            var rest = Substring(name)
            while let dot = rest.firstIndex(of: ".") {
                rest = rest[rest.index(after: dot)...]
                guard !rest.isEmpty else { break }
                keys.append(String(rest))
                keys.append("." + rest)
            }
            return keys
        case .emailAddress:
            var address = Substring(subject)
            if address.hasPrefix("<"), address.hasSuffix(">") { address = address.dropFirst().dropLast() }
            guard let at = address.lastIndex(of: "@") else { return [String(address)] }
            let domain = String(address[address.index(after: at)...])
            var keys = [String(address)]
            if !domain.isEmpty { keys += LookupKeyKind.hostName.keys(for: domain) }
            keys.append(String(address[...at]))
            return keys
        }
    }
}
