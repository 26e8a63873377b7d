import Configuration
import MilterProtocol

/// Whether Postfix's smtpd runs chrooted (the `chroot` column of master.cf is `y`, as on
/// Debian), and in which directory. A chrooted smtpd resolves `unix:` milter paths inside
/// its queue directory, so the manager's socket must be spelled relative to it, or be
/// reachable otherwise (an inet socket).
public struct PostfixChroot: Hashable, Sendable {
    /// Where master.cf is, inside the root.
    public static let masterCfPath = "/etc/postfix/master.cf"
    /// The group Postfix's processes run as (`setgid_group` is another one, for postdrop).
    public static let postfixGroup = "postfix"
    /// Postfix's default `queue_directory`.
    public static let defaultQueueDirectory = "/var/spool/postfix"

    /// The chroot directory (main.cf's `queue_directory`).
    public var directory: String
    /// The master.cf line of the first chrooted smtpd service.
    public var masterCfLine: Int

    /// A chroot in `directory`, found at `masterCfLine`.
    public init(directory: String, masterCfLine: Int) {
        self.directory = directory
        self.masterCfLine = masterCfLine
    }

    /// The chroot of `root`'s Postfix, nil when no smtpd service is chrooted (or there is no
    /// master.cf). A master.cf or main.cf that is there but cannot be read (a FIFO, a dangling
    /// link, ...) is an error: guessing would give Postfix a socket it cannot reach.
    public static func detect(root: String) throws(ConfigGenError) -> PostfixChroot? {
        let files = FileUpdater(root: RootDirectory(root))
        guard let masterBytes = try files.currentBytes(of: masterCfPath) else { return nil }
        var chrootedLine: Int?
        for (index, line) in lines(of: masterBytes).enumerated() {
            // A service starts in column 1; continuation lines start with a blank.
            guard let first = line.first, first != "#", first != " ", first != "\t" else { continue }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if fields.count >= 8, fields[4] == "y", fields[7] == "smtpd" {
                chrootedLine = index + 1
                break
            }
        }
        guard let chrootedLine else { return nil }
        var directory = defaultQueueDirectory
        if let mainBytes = try files.currentBytes(of: PostfixMainEditor.mainCfPath) {
            for line in lines(of: mainBytes) {
                let trimmed = line.trimmingBlanks()
                guard trimmed.hasPrefix("queue_directory"), let equals = trimmed.firstIndex(of: "=") else { continue }
                guard trimmed[..<equals].trimmingBlanks() == "queue_directory" else { continue }
                let value = String(trimmed[trimmed.index(after: equals)...]).trimmingBlanks()
                if value.hasPrefix("/") { directory = value }
            }
        }
        return PostfixChroot(directory: directory, masterCfLine: chrootedLine)
    }

    /// The lines of a Postfix file, split at `\n` bytes (a CR before it dropped: Swift's
    /// `Character` would take CRLF as one), decoded with invalid UTF-8 replaced.
    static func lines(of bytes: [UInt8]) -> [String] {
        bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
        }
    }

    /// The socket as the chrooted smtpd must name it: a unix path under the chroot made
    /// relative to it; anything else unchanged.
    public func adjusted(_ spec: ConnectionSpec) -> ConnectionSpec {
        guard case .unix(let path) = spec else { return spec }
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        guard path.hasPrefix(prefix) else { return spec }
        return .unix(path: "/" + path.dropFirst(prefix.count))
    }

    /// Why a chrooted smtpd cannot reach `spec`, or nil when it can.
    public func problem(with spec: ConnectionSpec) -> String? {
        guard case .unix(let path) = spec, adjusted(spec) == spec else { return nil }
        let suggested = (directory.hasSuffix("/") ? directory : directory + "/") + "milter-manager/milter-manager.sock"
        return "smtpd runs chrooted in \(directory) (\(Self.masterCfPath):\(masterCfLine)), so Postfix looks for "
            + "\(directory)\(path), not \(path): set manager.connection_spec to a socket under \(directory) "
            + "(\"unix:\(suggested)\", with manager.unix_socket_group = \"postfix\") or to "
            + "\"inet:10025@[127.0.0.1]\" in milter-manager.local.conf, or turn off smtpd's chroot in master.cf"
    }
}
