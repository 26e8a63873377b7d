/// One DNS blocklist the DNSBL conditions query (`dnsbl.add_service(domain, expected)`).
public struct DNSBLService: Hashable, Sendable {
    /// The zone (`zen.spamhaus.org`).
    public var domain: String
    /// The answers that count as listed; nil: any answer.
    public var expected: IPAddressRange?

    /// A service.
    public init(domain: String, expected: IPAddressRange?) {
        self.domain = domain
        self.expected = expected
    }
}
