import MilterProtocol
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a connection spec cannot be turned into a socket address.
public struct AddressResolutionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The spec.
    public var spec: String
    /// What went wrong.
    public var reason: String
    /// `invalid host address <spec>: reason`.
    public var description: String { "invalid host address <\(spec)>: \(reason)" }

    /// An error for `spec`.
    public init(spec: String, reason: String) {
        self.spec = spec
        self.reason = reason
    }
}

extension ConnectionSpec {
    /// The address to connect to: a spec without host means this host (loopback).
    /// Host names are resolved now (getaddrinfo, first result of the spec's family).
    public func connectAddress() throws(AddressResolutionError) -> SocketAddress {
        try socketAddress(wildcardMeansLoopback: true)
    }

    /// The address to listen on: a spec without host means every address.
    public func listenAddress() throws(AddressResolutionError) -> SocketAddress {
        try socketAddress(wildcardMeansLoopback: false)
    }

    private func socketAddress(wildcardMeansLoopback: Bool) throws(AddressResolutionError) -> SocketAddress {
        do {
            switch self {
            case .unix(let path):
                return try SocketAddress(unixDomainSocketPath: path)
            case .inet(let port, let host):
                switch host {
                case .none:
                    return try SocketAddress(
                        ipAddress: wildcardMeansLoopback ? "127.0.0.1" : "0.0.0.0", port: Int(port))
                case .address(let address): return try SocketAddress(ipAddress: address, port: Int(port))
                case .name(let name): return try Self.lookUp(name, port: port, family: .inet)
                }
            case .inet6(let port, let host):
                switch host {
                case .none: return try SocketAddress(ipAddress: wildcardMeansLoopback ? "::1" : "::", port: Int(port))
                case .address(let address): return try SocketAddress(ipAddress: address, port: Int(port))
                case .name(let name): return try Self.lookUp(name, port: port, family: .inet6)
                }
            }
        } catch let error as AddressResolutionError {
            throw error
        } catch {
            throw AddressResolutionError(spec: description, reason: "\(error)")
        }
    }

    /// Looks `name` up with getaddrinfo (blocking: never call it on an event loop) and returns
    /// the first address of `family`.
    public static func lookUp(_ name: String, port: UInt16, family: ResolvedChild.Family) throws(AddressResolutionError)
        -> SocketAddress
    {
        var hints = addrinfo()
        hints.ai_family = family == .inet ? AF_INET : AF_INET6
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(name, String(port), &hints, &result)
        guard status == 0, let first = result else {
            let message = String(cString: gai_strerror(status))
            throw AddressResolutionError(
                spec: "\(family == .inet ? "inet" : "inet6"):\(port)@\(name)", reason: message)
        }
        defer { freeaddrinfo(result) }
        switch first.pointee.ai_family {
        case AF_INET:
            return first.pointee.ai_addr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                SocketAddress($0.pointee, host: name)
            }
        default:
            return first.pointee.ai_addr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                SocketAddress($0.pointee, host: name)
            }
        }
    }
}
