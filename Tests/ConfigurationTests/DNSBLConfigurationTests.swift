import Configuration
import MilterSupport
import Testing

/// The DNSBL keys: name servers with ports (interfaces.md ## DNSBL), the time limit and what a
/// time-out counts as.
@Suite struct DNSBLConfigurationTests {
    static func load(_ text: String) -> ConfigurationLoadResult {
        ConfigurationLoader.inMemory(platform: .unknown).load(text: text, file: "/etc/milter-manager/test.conf")
    }

    @Test(arguments: [
        ("127.0.0.1", "127.0.0.1", 53), ("127.0.0.1:5353", "127.0.0.1", 5353), ("::1", "::1", 53),
        ("[::1]", "::1", 53), ("[::1]:5353", "::1", 5353), ("[2001:db8::53]:65535", "2001:db8::53", 65535),
    ])
    func nameServersTakeAPort(_ text: String, _ address: String, _ port: Int) {
        let server = DNSNameServer(parsing: text)
        #expect(server?.address == address)
        #expect(server?.port == port)
        #expect(DNSNameServer(parsing: server?.description ?? "") == server)
        let result = Self.load("dnsbl.name_servers = [\(RubyLiteral.inspect(text))]\n")
        #expect(result.errors.isEmpty, "\(result.errors)")
    }

    @Test(arguments: [
        "ns.example.com", "127.0.0.1:0", "127.0.0.1:70000", "[::1]:", "::1:53x", "[::1]x", "127.0.0.1:53:1", "",
        " 127.0.0.1", "[127.0.0.1",
    ])
    func otherNameServersAreErrors(_ text: String) {
        #expect(DNSNameServer(parsing: text) == nil)
        let result = Self.load("dnsbl.name_server = \(RubyLiteral.inspect(text))\n")
        #expect(
            result.errors.map(\.description) == [
                "/etc/milter-manager/test.conf:1: invalid value for dnsbl.name_server: \(RubyLiteral.inspect(text)) "
                    + "(an IPv4 or IPv6 address, with a port as \"192.0.2.53:5353\" or \"[2001:db8::53]:5353\")"
            ])
    }

    @Test func timeoutAndItsResultLoadAndPrint() {
        let result = Self.load("dnsbl.timeout = 2.5\ndnsbl.timeout_result = :listed\n")
        #expect(result.errors.isEmpty, "\(result.errors)")
        let dnsbl = result.configuration.conditionParameters.dnsbl
        #expect(dnsbl.timeout.value == 2.5)
        #expect(dnsbl.timeoutResult.value == .listed)
        let printed = ConfigurationPrinter.render(result.configuration)
        #expect(printed.contains("# /etc/milter-manager/test.conf:1\ndnsbl.timeout = 2.5\n"))
        #expect(printed.contains("# /etc/milter-manager/test.conf:2\ndnsbl.timeout_result = \"listed\"\n"))
    }

    @Test(arguments: [
        ("dnsbl.timeout = 0", "invalid value for dnsbl.timeout: 0.0 (seconds, 0.1..60.0)"),
        ("dnsbl.timeout = 61", "invalid value for dnsbl.timeout: 61.0 (seconds, 0.1..60.0)"),
        ("dnsbl.timeout = \"5\"", "dnsbl.timeout must be a number of seconds, not a string (\"5\")"),
        (
            "dnsbl.timeout_result = \"maybe\"",
            "invalid value for dnsbl.timeout_result: \"maybe\" (one of \"not_listed\", \"listed\")"
        ),
    ])
    func badValuesAreErrors(_ statement: String, _ message: String) {
        #expect(Self.load(statement + "\n").errors.map(\.message) == [message])
    }
}
