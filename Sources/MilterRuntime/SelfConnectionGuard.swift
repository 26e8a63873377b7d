import NIOConcurrencyHelpers
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// Recognises a connection the manager made to itself: a child whose connection spec reaches
/// the manager's own socket under another spelling (`inet:10025` and `inet:10025@localhost`,
/// `unix:/run/a/../a/s`, a symbolic link) would otherwise make every session connect to the
/// manager again until it runs out of sessions.
///
/// Unix sockets: the peer's process id (SO_PEERCRED) is this process (only in a process that
/// is never its own MTA, such as the daemon: in-process tests are). TCP: the peer's address
/// is the local end of one of this process's child connections, which are registered here
/// before the negotiation is written to them, so before the accepting side reads anything.
public final class SelfConnectionGuard: Sendable {
    private let endpoints = NIOLockedValueBox<[String: String]>([:])
    private let processID: Int32?

    /// A guard; `processID` (the daemon's own pid) turns on the unix socket check.
    public init(processID: Int32? = nil) {
        self.processID = processID
    }

    /// Remembers the local end of a TCP connection to the child called `name`; forgotten when
    /// the connection closes.
    func register(_ channel: Channel, child name: String) {
        guard let local = channel.localAddress, let key = Self.key(local) else { return }
        endpoints.withLockedValue { $0[key] = name }
        channel.closeFuture.whenComplete { [endpoints] _ in
            _ = endpoints.withLockedValue { $0.removeValue(forKey: key) }
        }
    }

    /// The child whose connection this accepted channel is, when the manager connected to itself.
    func selfConnection(_ channel: Channel) -> String? {
        guard let remote = channel.remoteAddress else { return nil }
        switch remote {
        case .unixDomainSocket:
            // SO_PEERCRED read into 4 bytes: the kernel copies that much of struct ucred, whose
            // first field is the peer's pid.
            let option = ChannelOptions.Types.SocketOption(
                level: NIOBSDSocket.OptionLevel(rawValue: SOL_SOCKET),
                name: NIOBSDSocket.Option(rawValue: SO_PEERCRED))
            guard let processID, let pid = try? channel.syncOptions?.getOption(option) else { return nil }
            return pid == processID ? "a milter reached through a unix socket" : nil
        case .v4, .v6:
            guard let key = Self.key(remote) else { return nil }
            return endpoints.withLockedValue { $0[key] }
        }
    }

    /// `ip port`; an IPv4-mapped IPv6 address (an inet child reaching an inet6 listener) as IPv4.
    static func key(_ address: SocketAddress) -> String? {
        guard var ip = address.ipAddress, let port = address.port else { return nil }
        if ip.lowercased().hasPrefix("::ffff:"), ip.contains(".") { ip = String(ip.dropFirst(7)) }
        return "\(ip) \(port)"
    }
}
