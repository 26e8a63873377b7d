#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The TCP socket options the proxy and the test tools set on milter connections, as the
/// (level, name) pairs `setsockopt(2)` takes: the one place their platform values are spelled.
/// NIO channels set them through `ChannelOptions.Types.SocketOption(level:name:)`.
public enum TCPSocketOption: CaseIterable, Sendable {
    /// `TCP_NODELAY`: send small packets at once (a milter packet is a request that waits for
    /// its reply).
    case noDelay
    /// `TCP_QUICKACK` (Linux): acknowledge at once instead of delaying the ACK, so that the
    /// peer's next packet is not held back by Nagle's algorithm. Linux clears it after a
    /// while: set it again after each read.
    case quickAck

    /// The protocol level, `IPPROTO_TCP`.
    public var level: Int32 { Int32(IPPROTO_TCP) }

    /// The option name on this platform, nil where it does not exist (`TCP_QUICKACK` off Linux).
    public var name: Int32? {
        switch self {
        case .noDelay: return Int32(TCP_NODELAY)
        case .quickAck:
            #if os(Linux)
                return Int32(TCP_QUICKACK)
            #else
                return nil
            #endif
        }
    }
}
