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
/// is never its own MTA, such as the daemon: in-process tests are). TCP: the accepted
/// connection's two ends are the two ends of one of this process's child connections, swapped
/// (its peer is the child connection's local end and its local end the one the child
/// connection reached); child connections are registered here before the negotiation is
/// written to them, so before the accepting side reads anything. Both ends, not the peer's
/// alone: the kernel gives one local port to several connections with different peers, so an
/// MTA connection can come from the very address and port a child connection uses.
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
        guard let local = channel.localAddress, let remote = channel.remoteAddress,
            let key = Self.key(from: local, to: remote)
        else { return }
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
            guard let local = channel.localAddress, let key = Self.key(from: remote, to: local) else { return nil }
            return endpoints.withLockedValue { $0[key] }
        }
    }

    /// `ip port > ip port`, a connection seen from its `from` end.
    static func key(from: SocketAddress, to: SocketAddress) -> String? {
        guard let from = endpoint(from), let to = endpoint(to) else { return nil }
        return "\(from) > \(to)"
    }

    /// `ip port`; an IPv4-mapped IPv6 address (an inet child reaching an inet6 listener) as IPv4.
    static func endpoint(_ address: SocketAddress) -> String? {
        guard var ip = address.ipAddress, let port = address.port else { return nil }
        if ip.lowercased().hasPrefix("::ffff:"), ip.contains(".") { ip = String(ip.dropFirst(7)) }
        return "\(ip) \(port)"
    }
}
