/// Parameters of the `DNSBL Listed` and `Not DNSBL Listed` conditions (`dnsbl.*`, detection.md 6.4).
public struct DNSBLParameters: Hashable, Sendable {
    /// The services, queried in parallel.
    public var services: [Setting<DNSBLService>]
    /// `dnsbl.name_servers`: resolver addresses (`DNSNameServer` syntax, with an optional
    /// port); empty = the system resolver (`nameserver` lines of /etc/resolv.conf).
    public var nameServers: Setting<[String]>
    /// `dnsbl.timeout`: seconds one look-up may take (all services are queried in parallel).
    public var timeout: Setting<Double>
    /// `dnsbl.timeout_result`: what a look-up without an answer in time counts as.
    public var timeoutResult: Setting<DNSBLTimeoutResult>

    /// The range of `dnsbl.timeout`, seconds.
    public static let timeoutRange: ClosedRange<Double> = 0.1...60

    /// The built-in services.
    public static let defaultServices: [DNSBLService] = [
        ("zen.spamhaus.org", "127.0.0.10/31"), ("dnsbl.sorbs.net", "127.0.0.10"), ("bl.spamcop.net", "127.0.0.2"),
        ("b.barracudacentral.org", "127.0.0.2"),
    ].map { DNSBLService(domain: $0, expected: IPAddressRange(parsing: $1)) }

    /// The built-in services and the system resolver.
    public init() {
        services = Self.defaultServices.map { Setting($0) }
        nameServers = Setting([])
        timeout = Setting(5)
        timeoutResult = Setting(.notListed)
    }
}
