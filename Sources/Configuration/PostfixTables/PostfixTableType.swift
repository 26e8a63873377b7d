/// The Postfix lookup-table types a condition can name (`cidr:/path`, `regexp:/path`, ...).
///
/// `hash:`, `btree:`, `lmdb:` and `texthash:` name the same thing here: the text source that
/// `postmap` reads (`key value` lines), read directly; the compiled `.db`/`.lmdb` file is
/// never opened.
public enum PostfixTableType: String, Hashable, Sendable, CaseIterable {
    /// `cidr_table(5)`: `network/prefix result`, first match wins.
    case cidr
    /// `regexp_table(5)`: POSIX extended regular expressions.
    case regexp
    /// `pcre_table(5)`: Perl-compatible regular expressions (as far as Swift `Regex` reads them).
    case pcre
    /// The text source of a `hash:` table.
    case hash
    /// The text source of a `btree:` table.
    case btree
    /// The text source of an `lmdb:` table.
    case lmdb
    /// `texthash:`: Postfix's own name for a key-value text file read directly.
    case texthash

    /// How the file is read.
    public var format: PostfixTableFormat {
        switch self {
        case .cidr: return .cidr
        case .regexp: return .regexp
        case .pcre: return .pcre
        case .hash, .btree, .lmdb, .texthash: return .keyValue
        }
    }
}

/// The file formats behind `PostfixTableType`.
public enum PostfixTableFormat: Hashable, Sendable {
    /// `cidr_table(5)`.
    case cidr
    /// `regexp_table(5)`.
    case regexp
    /// `pcre_table(5)`.
    case pcre
    /// `key value` lines, as `postmap` reads them.
    case keyValue
}

/// A table as written in the configuration: `"cidr:/etc/postfix/client.cidr"`.
public struct PostfixTableReference: Hashable, Sendable, CustomStringConvertible {
    /// The type prefix.
    public var type: PostfixTableType
    /// The path as written (absolute, or relative to the configuration directory).
    public var path: String

    /// A reference.
    public init(type: PostfixTableType, path: String) {
        self.type = type
        self.path = path
    }

    /// Reads `TYPE:PATH`; nil when `text` does not start with a known type and a colon, or
    /// the path is empty. Only the prefixes above are recognised, so that a host name or an
    /// IPv6 address is never taken for a table.
    public init?(parsing text: String) {
        guard let colon = text.firstIndex(of: ":"),
            let type = PostfixTableType(rawValue: String(text[..<colon]))
        else { return nil }
        let path = String(text[text.index(after: colon)...])
        guard !path.isEmpty, !path.hasPrefix("{") else { return nil }
        self.init(type: type, path: path)
    }

    /// `TYPE:PATH`, as written.
    public var description: String { type.rawValue + ":" + path }
}
