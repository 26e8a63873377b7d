import Foundation
import MilterTestSupport
import NIOPosix
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `DNSBL Listed` through the real daemon against a DNS responder on loopback (IPv4 and IPv6
/// name servers): listed, not listed and no answer, for IPv4 and IPv6 clients. The child adds
/// `X-Alpha: 1` when it is applied, that is when the client is listed. The configuration's
/// name server is the responder, so the built-in services are asked there too (NXDOMAIN).
@Suite("milter-manager DNSBL", .serialized)
struct DaemonDNSBLTests {
    static let zone = "bl.test.example"

    struct Client: Sendable {
        var address: String
        var reply: DNSResponder.Reply
        var applied: Bool
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var nameServerHost: String
        var timeoutResult: String
        var clients: [Client]
        var testDescription: String { name }
    }

    static let v6Name = "9.9.0.0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.\(zone)"

    static let cases: [Case] = [
        Case(
            name: "IPv4 name server, no answer counts as not listed", nameServerHost: "127.0.0.1",
            timeoutResult: "not_listed",
            clients: [
                Client(address: "inet:25@[192.0.2.99]", reply: .addresses([[127, 0, 0, 2]], ttl: 60), applied: true),
                Client(address: "inet:25@[192.0.2.98]", reply: .nxdomain(soaMinimum: 60), applied: false),
                Client(address: "inet:25@[192.0.2.97]", reply: .silence, applied: false),
                Client(
                    address: "inet6:25@[2001:db8::1:99]", reply: .addresses([[127, 0, 0, 2]], ttl: 60), applied: true),
            ]),
        Case(
            name: "IPv6 name server, no answer counts as listed", nameServerHost: "::1", timeoutResult: "listed",
            clients: [
                Client(
                    address: "inet6:25@[2001:db8::1:99]", reply: .addresses([[127, 0, 0, 2]], ttl: 60), applied: true),
                Client(address: "inet6:25@[2001:db8::1:98]", reply: .nxdomain(soaMinimum: 60), applied: false),
                Client(address: "inet6:25@[2001:db8::1:97]", reply: .silence, applied: true),
                Client(address: "inet:25@[192.0.2.98]", reply: .nxdomain(soaMinimum: 60), applied: false),
            ]),
    ]

    /// The query name of a test client.
    static func queryName(_ spec: String) -> String {
        let address = String(spec.split(separator: "[")[1].dropLast())
        if address.contains(":") {
            let last = address.split(separator: ":").last!
            let nibbles = Array(String(repeating: "0", count: 4 - last.count) + last).reversed().map(String.init)
            return (nibbles + Array(v6Name.split(separator: ".").dropFirst(4).map(String.init)))
                .joined(separator: ".")
        }
        return address.split(separator: ".").reversed().joined(separator: ".") + "." + zone
    }

    @Test(arguments: cases)
    func listedNotListedAndNoAnswer(_ testCase: Case) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var replies: [String: DNSResponder.Reply] = [:]
        for client in testCase.clients { replies[Self.queryName(client.address)] = client.reply }
        let responder = try await DNSResponder(
            group: group, host: testCase.nameServerHost, replies: replies, fallback: .nxdomain(soaMinimum: 60))
        let bench = try DaemonBench("dnsbl")
        defer { bench.tearDown() }
        let (child, path) = try RealMilters.startTestMilter(
            in: bench.directory, name: "alpha", options: ["--add-header", "X-Alpha:1"])
        bench.adopt(child)
        let server =
            testCase.nameServerHost.contains(":")
            ? "[\(testCase.nameServerHost)]:\(responder.port)" : "\(testCase.nameServerHost):\(responder.port)"
        try bench.writeConfig(
            """
            dnsbl.add_service("\(Self.zone)", "127.0.0.2")
            dnsbl.name_servers = ["\(server)"]
            dnsbl.timeout = 0.5
            dnsbl.timeout_result = "\(testCase.timeoutResult)"
            define_milter("alpha") do |milter|
              milter.connection_spec = "unix:\(path)"
              milter.applicable_conditions = ["DNSBL Listed"]
            end
            """)
        let daemon = try bench.startListening()
        for client in testCase.clients {
            let session = try bench.session(["--connect-address", client.address])
            #expect(session.status == 0, "\(session.output)")
            #expect(
                session.output.contains("+ X-Alpha: 1") == client.applied, "\(client.address): \(bench.log)")
        }
        // The original's default services (zen.spamhaus.org, ...) are asked too, here: they
        // answer NXDOMAIN.
        #expect(
            Set(responder.queries.filter { $0.hasSuffix(Self.zone) })
                == Set(testCase.clients.map { Self.queryName($0.address) }))
        kill(daemon.pid, SIGTERM)
        #expect(try bench.waitForExit(daemon) == 0)
        try await responder.stop()
        try await group.shutdownGracefully()
    }
}
