/// Parameters of the `Remote Network` condition (`remote_network.*`, detection.md 6.2).
///
/// Besides these lists the runtime treats loopback, RFC 1918, `::1`, fe80::/10 and unix
/// peers as local; a remote range wins over that built-in test.
public struct RemoteNetworkParameters: Hashable, Sendable {
    /// `remote_network.add_local_address`: also local (networks or tables).
    public var localAddresses: [Setting<AddressMatcher>]
    /// `remote_network.add_remote_address`: remote even if the built-in test says local.
    public var remoteAddresses: [Setting<AddressMatcher>]

    /// No extra ranges.
    public init() {
        localAddresses = []
        remoteAddresses = []
    }
}
