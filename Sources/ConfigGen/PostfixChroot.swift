import Configuration
import MilterProtocol

/// Whether Postfix's smtpd runs chrooted (the `chroot` column of master.cf is `y`, as on
/// Debian), and in which directory. A chrooted smtpd resolves `unix:` milter paths inside
/// its queue directory, so the manager's socket must be spelled relative to it, or be
/// reachable otherwise (an inet socket).
public struct PostfixChroot: Hashable, Sendable {
    /// The group Postfix's processes run as (`setgid_group` is another one, for postdrop).
    public static let postfixGroup = "postfix"

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
        guard let masterBytes = try files.currentBytes(of: PostfixMasterCf.path),
            let smtpd = PostfixMasterCf(bytes: masterBytes).chrootedSMTPD
        else { return nil }
        let main = try files.currentBytes(of: PostfixMainCf.path).map(PostfixMainCf.init(bytes:))
        return PostfixChroot(
            directory: main?.queueDirectory ?? PostfixMainCf.defaultQueueDirectory, masterCfLine: smtpd.line)
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
        return "smtpd runs chrooted in \(directory) (\(PostfixMasterCf.path):\(masterCfLine)), so Postfix looks for "
            + "\(directory)\(path), not \(path): set manager.connection_spec to a socket under \(directory) "
            + "(\"unix:\(suggested)\", with manager.unix_socket_group = \"postfix\") or to "
            + "\"inet:10025@[127.0.0.1]\" in milter-manager.local.conf, or turn off smtpd's chroot in master.cf"
    }
}
