/// Parameters of the `DNSBL Listed` and `Not DNSBL Listed` conditions (`dnsbl.*`, detection.md 6.4).
public struct DNSBLParameters: Hashable, Sendable {
    /// The services, queried in parallel.
    public var services: [Setting<DNSBLService>]
    /// `dnsbl.name_servers`: resolver addresses; empty = the system resolver.
    public var nameServers: Setting<[String]>

    /// The built-in services.
    public static let defaultServices: [DNSBLService] = [
        ("zen.spamhaus.org", "127.0.0.10/31"), ("dnsbl.sorbs.net", "127.0.0.10"), ("bl.spamcop.net", "127.0.0.2"),
        ("b.barracudacentral.org", "127.0.0.2"),
    ].map { DNSBLService(domain: $0, expected: IPAddressRange(parsing: $1)) }

    /// The built-in services and the system resolver.
    public init() {
        services = Self.defaultServices.map { Setting($0) }
        nameServers = Setting([])
    }
}
