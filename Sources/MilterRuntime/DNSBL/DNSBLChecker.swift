import Configuration
import MilterProtocol
import NIOCore

/// The `DNSBL Listed` / `Not DNSBL Listed` look-ups (detection.md §6.4, interfaces.md ## DNSBL):
/// the client's address is looked up under every service's zone in parallel, each answer is
/// matched against the service's expected address or network (any A record when none is
/// given), answers are cached as long as their TTL allows, and a look-up without an answer in
/// time counts as `dnsbl.timeout_result` says. Never blocks: everything runs on the caller's
/// event loop.
///
/// ```swift
/// let checker = DNSBLChecker(parameters: configuration.conditionParameters.dnsbl, root: root)
/// checker.check(client: address, on: channel.eventLoop).whenSuccess { verdict in
///     let decision = RuleEvaluator.decideDNSBL(applyWhenListed: true, verdict: verdict)
/// }
/// ```
public struct DNSBLChecker: Sendable {
    /// The services in order.
    public let services: [DNSBLService]
    /// The resolvers asked.
    public let nameServers: [DNSNameServer]
    /// The time limit of one look-up.
    public let timeout: TimeAmount
    /// What a look-up without an answer counts as.
    public let timeoutResult: DNSBLTimeoutResult
    private let client: DNSClient
    private let cache: DNSBLCache
    private let now: @Sendable () -> NIODeadline

    /// A checker for the configured services; name servers from `dnsbl.name_servers`, or
    /// `/etc/resolv.conf` under `root` when none is configured. `now` is the clock of the
    /// cache (injected by tests).
    public init(
        parameters: DNSBLParameters, root: RootDirectory = RootDirectory("/"), cacheCapacity: Int = 10_000,
        now: @escaping @Sendable () -> NIODeadline = { .now() }
    ) {
        services = parameters.services.map(\.value)
        let configured = parameters.nameServers.value.compactMap { DNSNameServer(parsing: $0) }
        nameServers = configured.isEmpty ? ResolverConfiguration.systemNameServers(root: root) : configured
        timeout = .saturating(seconds: parameters.timeout.value)
        timeoutResult = parameters.timeoutResult.value
        client = DNSClient(nameServers: nameServers)
        cache = DNSBLCache(capacity: cacheCapacity)
        self.now = now
    }

    /// Looks `client` up in every service. Unix and unknown peers, and addresses that do not
    /// parse, are not listed (nothing is sent).
    public func check(client address: ConnectAddress, on eventLoop: any EventLoop) -> EventLoopFuture<DNSBLVerdict> {
        guard let text = address.ipAddress, let bytes = IPAddressRange.parseAddress(text), !services.isEmpty else {
            return eventLoop.makeSucceededFuture(DNSBLVerdict(listedBy: [], timedOut: [], timeoutResult: timeoutResult))
        }
        let lookups = services.map { service in lookUp(service, address: bytes, on: eventLoop) }
        return EventLoopFuture.whenAllSucceed(lookups, on: eventLoop).map { results in
            var listedBy: [String] = []
            var timedOut: [String] = []
            for (service, result) in zip(services, results) {
                switch result {
                case .listed: listedBy.append(service.domain)
                case .timedOut: timedOut.append(service.domain)
                case .notListed: break
                }
            }
            return DNSBLVerdict(listedBy: listedBy, timedOut: timedOut, timeoutResult: timeoutResult)
        }
    }

    /// One service's result.
    enum ServiceResult: Hashable, Sendable {
        case listed
        case notListed
        case timedOut
    }

    private func lookUp(_ service: DNSBLService, address: [UInt8], on eventLoop: any EventLoop)
        -> EventLoopFuture<ServiceResult>
    {
        guard let name = DNSBLQueryName.make(address: address, zone: service.domain) else {
            return eventLoop.makeSucceededFuture(.notListed)
        }
        let key = DNSMessage.normalized(name)
        if let addresses = cache.lookUp(key, now: now()) {
            return eventLoop.makeSucceededFuture(Self.result(addresses, service: service))
        }
        let cache = self.cache
        let now = self.now
        return client.lookUp(name, timeout: timeout, on: eventLoop).map { outcome in
            switch outcome {
            case .timedOut:
                return .timedOut
            case .answered(let answer):
                // NOERROR and NXDOMAIN are answers; SERVFAIL, REFUSED and the like are not.
                guard answer.responseCode == 0 || answer.responseCode == 3 else { return .timedOut }
                cache.store(key, addresses: answer.addresses, ttl: answer.ttl, now: now())
                return Self.result(answer.addresses, service: service)
            }
        }
    }

    static func result(_ addresses: [[UInt8]], service: DNSBLService) -> ServiceResult {
        guard let expected = service.expected else { return addresses.isEmpty ? .notListed : .listed }
        return addresses.contains { expected.contains($0) } ? .listed : .notListed
    }

    /// How many answers the cache holds.
    public var cachedAnswers: Int { cache.count }
}

/// What the DNSBL look-ups found for one client.
public struct DNSBLVerdict: Hashable, Sendable {
    /// The services that list the client (their zones, in configuration order).
    public var listedBy: [String]
    /// The services that gave no usable answer in time.
    public var timedOut: [String]
    /// What those count as.
    public var timeoutResult: DNSBLTimeoutResult

    /// A verdict.
    public init(listedBy: [String], timedOut: [String], timeoutResult: DNSBLTimeoutResult) {
        self.listedBy = listedBy
        self.timedOut = timedOut
        self.timeoutResult = timeoutResult
    }

    /// Listed by a service, or a service timed out and time-outs count as listed.
    public var isListed: Bool {
        !listedBy.isEmpty || (timeoutResult == .listed && !timedOut.isEmpty)
    }
}
