import MilterProtocol

/// The values the original fixes at build time for each package platform (detection.md 1.1
/// and 4.4): the manager's socket, its user and group, the socket group and the pid file.
public struct PlatformDefaults: Hashable, Sendable {
    /// The platform.
    public var platform: Platform
    /// `manager.connection_spec`.
    public var connectionSpec: WrittenConnectionSpec
    /// `security.effective_user`.
    public var effectiveUser: String?
    /// `security.effective_group`.
    public var effectiveGroup: String?
    /// `manager.unix_socket_group`.
    public var unixSocketGroup: String?
    /// `manager.pid_file`.
    public var pidFile: String?

    /// The defaults of the Debian package, the RPM, the FreeBSD port, pkgsrc, or a source build.
    public init(platform: Platform) {
        self.platform = platform
        switch platform {
        case .debian:
            connectionSpec = WrittenConnectionSpec(.unix(path: "/run/milter-manager/milter-manager.sock"))
            effectiveUser = "milter-manager"
            effectiveGroup = "mail"
            unixSocketGroup = "mail"
            pidFile = "/run/milter-manager/milter-manager.pid"
        case .redhat:
            connectionSpec = WrittenConnectionSpec(.unix(path: "/var/run/milter-manager/milter-manager.sock"))
            effectiveUser = "milter-manager"
            effectiveGroup = "milter-manager"
            unixSocketGroup = "milter-manager"
            pidFile = "/var/run/milter-manager/milter-manager.pid"
        case .freebsd, .pkgsrc:
            connectionSpec = WrittenConnectionSpec(.unix(path: "/var/run/milter-manager/milter-manager.sock"))
            effectiveUser = nil
            effectiveGroup = nil
            unixSocketGroup = nil
            pidFile = nil
        case .unknown:
            connectionSpec = WrittenConnectionSpec(.inet(port: 10025, host: .address("127.0.0.1")))
            effectiveUser = nil
            effectiveGroup = nil
            unixSocketGroup = nil
            pidFile = nil
        }
    }
}
