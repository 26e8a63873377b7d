import MilterProtocol
import NIOCore

/// Where the milter is, resolved once before the first session.
enum ConnectTarget: Sendable {
    /// A unix-domain socket path.
    case unix(String)
    /// A TCP address.
    case inet(SocketAddress)

    /// Resolves a spec: no host means the loopback address; a host name is looked up once.
    static func resolve(_ spec: ConnectionSpec) throws -> ConnectTarget {
        switch spec {
        case .unix(let path): return .unix(path)
        case .inet(let port, let host):
            switch host {
            case .none: return .inet(try SocketAddress(ipAddress: "127.0.0.1", port: Int(port)))
            case .address(let address): return .inet(try SocketAddress(ipAddress: address, port: Int(port)))
            case .name(let name): return .inet(try SocketAddress.makeAddressResolvingHost(name, port: Int(port)))
            }
        case .inet6(let port, let host):
            switch host {
            case .none: return .inet(try SocketAddress(ipAddress: "::1", port: Int(port)))
            case .address(let address): return .inet(try SocketAddress(ipAddress: address, port: Int(port)))
            case .name(let name): return .inet(try SocketAddress.makeAddressResolvingHost(name, port: Int(port)))
            }
        }
    }

    /// True for TCP (TCP_NODELAY and TCP_QUICKACK apply).
    var isTCP: Bool {
        switch self {
        case .unix: return false
        case .inet: return true
        }
    }
}
