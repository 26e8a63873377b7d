import MilterProtocol
import NIOCore

/// One child with where it is reached: a fixed address (a unix path or a literal IP address,
/// known when the configuration is loaded) or a host name looked up when a session connects.
public struct ResolvedChild: Sendable {
    /// The address family of an `inet` or `inet6` spec.
    public enum Family: Hashable, Sendable {
        /// IPv4 (`inet:`).
        case inet
        /// IPv6 (`inet6:`).
        case inet6
    }

    /// Where to connect.
    public enum Target: Sendable {
        /// This address.
        case address(SocketAddress)
        /// The first address of `family` this name resolves to, looked up when connecting.
        case hostName(String, port: UInt16, family: Family)
    }

    /// The child.
    public var definition: ChildDefinition
    /// Where to connect.
    public var target: Target

    /// A child at a fixed address.
    public init(definition: ChildDefinition, address: SocketAddress) {
        self.definition = definition
        self.target = .address(address)
    }

    /// A child at its connection spec: host names are left for the time of connecting; only a
    /// spec that cannot give an address at all (a unix path too long for `sun_path`) throws.
    public init(definition: ChildDefinition) throws(AddressResolutionError) {
        self.definition = definition
        switch definition.connectionSpec {
        case .inet(let port, .name(let name)): target = .hostName(name, port: port, family: .inet)
        case .inet6(let port, .name(let name)): target = .hostName(name, port: port, family: .inet6)
        case .unix, .inet, .inet6: target = .address(try definition.connectionSpec.connectAddress())
        }
    }

    /// Whether the connection is TCP (TCP_QUICKACK is set on it).
    var isTCP: Bool {
        switch target {
        case .address(let address): return address.protocol != .unix
        case .hostName: return true
        }
    }
}
