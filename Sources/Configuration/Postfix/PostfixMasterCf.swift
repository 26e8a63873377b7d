/// Postfix's master.cf read the way Postfix reads it (master(5)): one service per logical line
/// (`LogicalLine`: continuation lines, such as `-o name=value`, joined; comments and blank lines
/// skipped), its fields separated by blanks. Lines with fewer than the eight fields Postfix
/// requires are not services.
///
/// The one reader of master.cf: the daemon (the stress threshold from the `smtp` service's
/// process limit) and `milter-manager-config postfix` (whether smtpd runs chrooted) both use it.
public struct PostfixMasterCf: Hashable, Sendable {
    /// Where master.cf is, inside the root.
    public static let path = "/etc/postfix/master.cf"

    /// One service entry.
    public struct Service: Hashable, Sendable {
        /// The fields as written: service, type, private, unpriv, chroot, wakeup, maxproc, then
        /// the command and its arguments.
        public var fields: [String]
        /// The 1-based line the entry starts on.
        public var line: Int

        /// The service name (`smtp`, `127.0.0.1:10025`).
        public var name: String { fields[0] }
        /// The transport type (`inet`, `unix`, `pass`, ...).
        public var type: String { fields[1] }
        /// The chroot column as written (`y`, `n` or `-`).
        public var chroot: String { fields[4] }
        /// The process limit column as written (a number or `-` for `default_process_limit`).
        public var maxProcesses: String { fields[6] }
        /// The command's name (`smtpd`, `postscreen`).
        public var command: String { fields[7] }
    }

    /// The services, in the order of the file.
    public let services: [Service]

    /// master.cf's text.
    public init(text: String) {
        services = LogicalLine.split(text).compactMap { logical in
            // Postfix reads the line as a C string: it ends at a NUL.
            let fields = logical.text.prefix { $0 != "\0" }.split(whereSeparator: { $0 == " " || $0 == "\t" })
                .map(String.init)
            return fields.count >= 8 ? Service(fields: fields, line: logical.line) : nil
        }
    }

    /// master.cf's bytes (invalid UTF-8 replaced).
    public init(bytes: [UInt8]) {
        self.init(text: String(decoding: bytes, as: UTF8.self))
    }

    /// The master.cf under `root`, nil when it cannot be read (missing, not a regular file, too
    /// large).
    public static func read(root: RootDirectory) -> PostfixMasterCf? {
        (try? root.readBytes(path)).map(PostfixMasterCf.init(bytes:))
    }

    /// The first chrooted (`y`) service that runs smtpd: where smtpd resolves milter sockets
    /// inside the queue directory.
    public var chrootedSMTPD: Service? {
        services.first { $0.chroot == "y" && $0.command == "smtpd" }
    }

    /// The process limit of the first `smtp inet` service, nil when there is none; `-` (or
    /// anything but a number) means main.cf's `default_process_limit` (`main` is read only
    /// then; nil: Postfix's default).
    public func smtpProcessLimit(main: @autoclosure () -> PostfixMainCf?) -> Int? {
        guard let smtp = services.first(where: { $0.name == "smtp" && $0.type == "inet" }) else { return nil }
        return Int(smtp.maxProcesses) ?? main()?.defaultProcessLimit ?? PostfixMainCf.defaultProcessLimit
    }
}
