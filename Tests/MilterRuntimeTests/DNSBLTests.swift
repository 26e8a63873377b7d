import Configuration
import MilterProtocol
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

@testable import MilterRuntime

/// DNSBL look-ups against a DNS responder started by the test on loopback: listed, not
/// listed, answers outside the expected range, time-outs with either outcome, garbage, IPv4
/// and IPv6 clients and servers, the cache and its TTLs. Never the real network.
@Suite(.serialized) struct DNSBLTests {
    static let zone = "bl.test.example"

    static func parameters(
        port: Int, host: String = "127.0.0.1", services: [(String, String?)] = [(zone, "127.0.0.2")],
        timeout: Double = 0.5, timeoutResult: DNSBLTimeoutResult = .notListed
    ) -> DNSBLParameters {
        var parameters = DNSBLParameters()
        parameters.services = services.map {
            Setting(DNSBLService(domain: $0, expected: $1.flatMap(IPAddressRange.init(parsing:))))
        }
        parameters.nameServers = Setting([host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"])
        parameters.timeout = Setting(timeout)
        parameters.timeoutResult = Setting(timeoutResult)
        return parameters
    }

    /// One client, one reply, what the verdict must be.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var client: ConnectAddress
        var reply: DNSResponder.Reply
        var expected: String? = "127.0.0.2"
        var timeoutResult: DNSBLTimeoutResult = .notListed
        var listed: Bool
        var timedOut: Bool = false
        var testDescription: String { name }
    }

    static let v4 = ConnectAddress.inet(address: "192.0.2.99", port: 25)
    static let v6 = ConnectAddress.inet6(address: "2001:db8::1:99", port: 25)

    static let cases: [Case] = [
        Case(name: "IPv4 listed", client: v4, reply: .addresses([[127, 0, 0, 2]], ttl: 60), listed: true),
        Case(name: "IPv6 listed", client: v6, reply: .addresses([[127, 0, 0, 2]], ttl: 60), listed: true),
        Case(
            name: "answer outside the expected network", client: v4, reply: .addresses([[127, 0, 0, 4]], ttl: 60),
            expected: "127.0.0.10/31", listed: false),
        Case(
            name: "answer inside the expected network", client: v4, reply: .addresses([[127, 0, 0, 11]], ttl: 60),
            expected: "127.0.0.10/31", listed: true),
        Case(
            name: "any answer without an expected one", client: v4, reply: .addresses([[127, 0, 0, 99]], ttl: 60),
            expected: nil, listed: true),
        Case(name: "NXDOMAIN", client: v4, reply: .nxdomain(soaMinimum: 30), listed: false),
        Case(name: "IPv6 NXDOMAIN", client: v6, reply: .nxdomain(soaMinimum: 30), listed: false),
        Case(name: "silence, not listed", client: v4, reply: .silence, listed: false, timedOut: true),
        Case(
            name: "silence, counted as listed", client: v4, reply: .silence, timeoutResult: .listed, listed: true,
            timedOut: true),
        Case(
            name: "IPv6 silence, counted as listed", client: v6, reply: .silence, timeoutResult: .listed, listed: true,
            timedOut: true),
        Case(
            name: "an answer after the time limit", client: v4,
            reply: .delayed(.seconds(2), .addresses([[127, 0, 0, 2]], ttl: 60)), listed: false, timedOut: true),
        Case(name: "garbage", client: v4, reply: .garbage([0xFF, 0x00, 0x13]), listed: false, timedOut: true),
        Case(name: "SERVFAIL", client: v4, reply: .servfail, listed: false, timedOut: true),
        Case(name: "a reply with another id", client: v4, reply: .wrongID, listed: false, timedOut: true),
        Case(name: "a truncated reply", client: v4, reply: .truncatedFlag, listed: false, timedOut: true),
    ]

    @Test(arguments: cases)
    func verdictFollowsTheAnswer(_ testCase: Case) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let responder = try await DNSResponder(group: group, replies: [:], fallback: testCase.reply)
        let checker = DNSBLChecker(
            parameters: Self.parameters(
                port: responder.port, services: [(Self.zone, testCase.expected)], timeoutResult: testCase.timeoutResult)
        )
        let verdict = try await checker.check(client: testCase.client, on: group.next()).get()
        #expect(verdict.isListed == testCase.listed)
        #expect(verdict.listedBy == (testCase.listed && !testCase.timedOut ? [Self.zone] : []))
        #expect(verdict.timedOut == (testCase.timedOut ? [Self.zone] : []))
        let expectedName =
            testCase.client == Self.v4
            ? "99.2.0.192.\(Self.zone)"
            : "9.9.0.0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.\(Self.zone)"
        #expect(responder.queries == [expectedName])
        try await responder.stop()
        try await group.shutdownGracefully()
    }

    @Test func servicesAreAskedInParallelAndNamed() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let responder = try await DNSResponder(
            group: group,
            replies: [
                "99.2.0.192.one.example": .delayed(.milliseconds(300), .addresses([[127, 0, 0, 2]], ttl: 60)),
                "99.2.0.192.two.example": .delayed(.milliseconds(300), .nxdomain(soaMinimum: 60)),
                "99.2.0.192.three.example": .delayed(.milliseconds(300), .addresses([[127, 0, 0, 3]], ttl: 60)),
            ], fallback: .silence)
        // Each answer takes 0.3 s and the limit is 0.5 s: asked one after the other, the
        // second and third would time out.
        let checker = DNSBLChecker(
            parameters: Self.parameters(
                port: responder.port,
                services: [("one.example", "127.0.0.2"), ("two.example", nil), ("three.example", nil)]))
        let verdict = try await checker.check(client: Self.v4, on: group.next()).get()
        #expect(verdict.listedBy == ["one.example", "three.example"])
        #expect(verdict.timedOut == [])
        try await responder.stop()
        try await group.shutdownGracefully()
    }

    @Test func anIPv6NameServerWorks() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let responder: DNSResponder
        do {
            responder = try await DNSResponder(
                group: group, host: "::1", replies: [:], fallback: .addresses([[127, 0, 0, 2]], ttl: 60))
        } catch {
            try await group.shutdownGracefully()
            withKnownIssue("no IPv6 loopback on this machine") { throw error }
            return
        }
        let checker = DNSBLChecker(parameters: Self.parameters(port: responder.port, host: "::1"))
        #expect(try await checker.check(client: Self.v4, on: group.next()).get().isListed)
        try await responder.stop()
        try await group.shutdownGracefully()
    }

    @Test func answersAreCachedForTheirTTL() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let responder = try await DNSResponder(
            group: group,
            replies: [
                "99.2.0.192.\(Self.zone)": .addresses([[127, 0, 0, 2]], ttl: 60),
                "98.2.0.192.\(Self.zone)": .nxdomain(soaMinimum: 10),
                "97.2.0.192.\(Self.zone)": .addresses([[127, 0, 0, 2]], ttl: 0),
            ], fallback: .silence)
        let clock = NIOLockedValueBox(NIODeadline.uptimeNanoseconds(1_000_000_000_000))
        let checker = DNSBLChecker(
            parameters: Self.parameters(port: responder.port), now: { clock.withLockedValue { $0 } })
        let loop = group.next()
        func check(_ last: Int) async throws -> Bool {
            try await checker.check(client: .inet(address: "192.0.2.\(last)", port: 25), on: loop).get().isListed
        }
        #expect(try await check(99))
        #expect(try await check(98) == false)
        #expect(try await check(97))
        #expect(responder.queries.count == 3)
        // Within the TTLs: 99 and 98 come from the cache, 97 (TTL 0) is asked again.
        clock.withLockedValue { $0 = $0 + .seconds(9) }
        #expect(try await check(99))
        #expect(try await check(98) == false)
        #expect(try await check(97))
        #expect(responder.queries.count == 4)
        // After the negative TTL (the SOA minimum, 10 s) 98 is asked again; 99 after 60 s.
        clock.withLockedValue { $0 = $0 + .seconds(2) }
        responder.set("98.2.0.192.\(Self.zone)", .addresses([[127, 0, 0, 2]], ttl: 60))
        #expect(try await check(98))
        #expect(try await check(99))
        #expect(responder.queries.count == 5)
        clock.withLockedValue { $0 = $0 + .seconds(60) }
        #expect(try await check(99))
        #expect(responder.queries.count == 6)
        try await responder.stop()
        try await group.shutdownGracefully()
    }

    @Test func unixAndUnknownClientsAreNotLookedUp() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let checker = DNSBLChecker(parameters: Self.parameters(port: 9))
        for client in [ConnectAddress.unix(path: MilterString("/tmp/x")), .unknown, .inet(address: "bogus", port: 1)] {
            let verdict = try await checker.check(client: client, on: group.next()).get()
            #expect(verdict == DNSBLVerdict(listedBy: [], timedOut: [], timeoutResult: .notListed))
        }
        try await group.shutdownGracefully()
    }

    @Test func theCacheIsBounded() {
        let cache = DNSBLCache(capacity: 100)
        let now = NIODeadline.uptimeNanoseconds(1_000_000)
        for index in 0..<1_000 { cache.store("n\(index)", addresses: [], ttl: UInt32(index + 1), now: now) }
        #expect(cache.count <= 100)
        #expect(cache.lookUp("n999", now: now) != nil)
    }

    @Test func resolvConfGivesTheFirstThreeServers() {
        let text = """
            # generated
            search example.com
            nameserver 192.0.2.53
            nameserver fe80::1%eth0
            nameserver 2001:db8::53
            nameserver 198.51.100.53
            nameserver 203.0.113.53
            """
        #expect(
            ResolverConfiguration.nameServers(inResolvConf: text).map(\.description) == [
                "192.0.2.53", "2001:db8::53", "198.51.100.53",
            ])
    }
}
