/// Postfix's main.cf read the way Postfix reads it (postconf(5)): `name = value` logical lines
/// (`LogicalLine`: continuation lines joined, comments and blank lines skipped; a line ends at
/// a NUL, as a C string does), blanks around the `=` and at the ends dropped, and the last
/// assignment of a name wins. Values are not expanded (`$name` stays as written). A line that
/// is not `name = value` (Postfix refuses the file) is skipped.
///
/// The one reader of main.cf's values: the daemon (the stress threshold's
/// `default_process_limit`) and `milter-manager-config postfix` (the chroot's
/// `queue_directory`, the parameters of the snippet it prints) both use it.
public struct PostfixMainCf: Hashable, Sendable {
    /// Where main.cf is, inside the root.
    public static let path = "/etc/postfix/main.cf"
    /// Postfix's default `queue_directory`.
    public static let defaultQueueDirectory = "/var/spool/postfix"
    /// Postfix's default `default_process_limit`.
    public static let defaultProcessLimit = 100

    /// One `name = value` assignment.
    public struct Parameter: Hashable, Sendable {
        /// The parameter name (`smtpd_milters`).
        public var name: String
        /// The value as written, continuation lines joined (`unix:/run/milter-manager/milter-manager.sock`).
        public var value: String
        /// The 1-based line the assignment starts on.
        public var line: Int
    }

    /// Every assignment, in the order of the file (a name may appear more than once).
    public let parameters: [Parameter]

    /// main.cf's text.
    public init(text: String) {
        parameters = LogicalLine.split(text).compactMap { logical in
            // Postfix reads the line as a C string: it ends at a NUL.
            let text = logical.text.prefix { $0 != "\0" }
            guard let equals = text.firstIndex(of: "=") else { return nil }
            let name = Self.trimmed(text[..<equals])
            guard !name.isEmpty, !name.contains(where: { $0 == " " || $0 == "\t" }) else { return nil }
            return Parameter(name: name, value: Self.trimmed(text[text.index(after: equals)...]), line: logical.line)
        }
    }

    /// main.cf's bytes (invalid UTF-8 replaced).
    public init(bytes: [UInt8]) {
        self.init(text: String(decoding: bytes, as: UTF8.self))
    }

    /// The main.cf under `root`, nil when it cannot be read (missing, not a regular file, too large).
    public static func read(root: RootDirectory) -> PostfixMainCf? {
        (try? root.readBytes(path)).map(PostfixMainCf.init(bytes:))
    }

    /// The value Postfix uses for `name`: its last assignment, nil when it is not set.
    public func value(of name: String) -> String? {
        parameters.last { $0.name == name }?.value
    }

    /// `queue_directory` (the chroot of chrooted services) when it is an absolute path, else
    /// Postfix's default.
    public var queueDirectory: String {
        guard let value = value(of: "queue_directory"), value.hasPrefix("/") else { return Self.defaultQueueDirectory }
        return value
    }

    /// `default_process_limit` when it is a number, else Postfix's default (100).
    public var defaultProcessLimit: Int {
        value(of: "default_process_limit").flatMap { Int($0) } ?? Self.defaultProcessLimit
    }

    private static func trimmed(_ text: Substring) -> String {
        String(text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
