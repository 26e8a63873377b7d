import MilterProtocol
import Testing

@Suite("Connection specs (detection.md 3)")
struct ConnectionSpecTests {
    struct Valid: CustomStringConvertible, Sendable {
        let text: String
        let spec: ConnectionSpec
        let canonical: String
        let postfix: String
        let sendmail: String
        var description: String { text }
    }

    static let valid: [Valid] = [
        Valid(
            text: "unix:/var/run/milter/milter-manager.sock", spec: .unix(path: "/var/run/milter/milter-manager.sock"),
            canonical: "unix:/var/run/milter/milter-manager.sock", postfix: "unix:/var/run/milter/milter-manager.sock",
            sendmail: "unix:/var/run/milter/milter-manager.sock"),
        Valid(
            text: "local:/var/run/x.sock", spec: .unix(path: "/var/run/x.sock"), canonical: "unix:/var/run/x.sock",
            postfix: "unix:/var/run/x.sock", sendmail: "unix:/var/run/x.sock"),
        Valid(
            text: "inet:10025", spec: .inet(port: 10025, host: nil), canonical: "inet:10025",
            postfix: "inet:127.0.0.1:10025", sendmail: "inet:10025@127.0.0.1"),
        Valid(
            text: "inet:10025@localhost", spec: .inet(port: 10025, host: .name("localhost")),
            canonical: "inet:10025@localhost", postfix: "inet:localhost:10025", sendmail: "inet:10025@localhost"),
        Valid(
            text: "inet:10025@[127.0.0.1]", spec: .inet(port: 10025, host: .address("127.0.0.1")),
            canonical: "inet:10025@[127.0.0.1]", postfix: "inet:127.0.0.1:10025", sendmail: "inet:10025@127.0.0.1"),
        Valid(
            text: "inet:3000@127.0.0.1", spec: .inet(port: 3000, host: .address("127.0.0.1")),
            canonical: "inet:3000@[127.0.0.1]", postfix: "inet:127.0.0.1:3000", sendmail: "inet:3000@127.0.0.1"),
        Valid(
            text: "inet:11120@[0.0.0.0]", spec: .inet(port: 11120, host: .address("0.0.0.0")),
            canonical: "inet:11120@[0.0.0.0]", postfix: "inet:127.0.0.1:11120", sendmail: "inet:11120@127.0.0.1"),
        Valid(
            text: "inet:@localhost", spec: .inet(port: 0, host: .name("localhost")), canonical: "inet:0@localhost",
            postfix: "inet:localhost:0", sendmail: "inet:0@localhost"),
        Valid(
            text: "inet6:10025", spec: .inet6(port: 10025, host: nil), canonical: "inet6:10025",
            postfix: "inet:[::1]:10025", sendmail: "inet6:10025@::1"),
        Valid(
            text: "inet6:10025@ip6-localhost", spec: .inet6(port: 10025, host: .name("ip6-localhost")),
            canonical: "inet6:10025@ip6-localhost", postfix: "inet:ip6-localhost:10025",
            sendmail: "inet6:10025@ip6-localhost"),
        Valid(
            text: "inet6:10025@[::1]", spec: .inet6(port: 10025, host: .address("::1")), canonical: "inet6:10025@[::1]",
            postfix: "inet:[::1]:10025", sendmail: "inet6:10025@::1"),
        Valid(
            text: "inet:65535@[192.0.2.1]", spec: .inet(port: 65535, host: .address("192.0.2.1")),
            canonical: "inet:65535@[192.0.2.1]", postfix: "inet:192.0.2.1:65535", sendmail: "inet:65535@192.0.2.1"),
    ]

    @Test("valid spec", arguments: valid)
    func parsesAndFormats(_ row: Valid) throws {
        let spec = try ConnectionSpec(parsing: row.text)
        #expect(spec == row.spec)
        #expect(spec.description == row.canonical)
        #expect(spec.postfixDescription == row.postfix)
        #expect(spec.sendmailDescription == row.sendmail)
        #expect(try ConnectionSpec(parsing: spec.description) == spec)
    }

    struct Invalid: CustomStringConvertible, Sendable {
        let text: String
        let message: String
        var description: String { text }
    }

    static let invalid: [Invalid] = [
        Invalid(
            text: "/var/run/x.sock",
            message:
                "spec doesn't have colon (expected unix:PATH, inet:PORT@HOST or inet6:PORT@HOST): </var/run/x.sock>"),
        Invalid(text: "unix:", message: "spec doesn't have content after the protocol: <unix:>"),
        Invalid(text: "tcp:10025", message: "protocol must be 'unix', 'local', 'inet' or 'inet6': <tcp:10025>"),
        Invalid(text: "INET:10025", message: "protocol must be 'unix', 'local', 'inet' or 'inet6': <INET:10025>"),
        Invalid(text: "inet:10a25", message: "port number has invalid character: <inet:10a25>"),
        Invalid(text: "inet:localhost:10025", message: "port number has invalid character: <inet:localhost:10025>"),
        Invalid(text: "inet:65536", message: "port number must be 65535 or less: <inet:65536>"),
        Invalid(
            text: "inet:99999999999999999999", message: "port number must be 65535 or less: <inet:99999999999999999999>"
        ),
        Invalid(text: "inet:25@[127.0.0.1", message: "']' is missing: <inet:25@[127.0.0.1>"),
        Invalid(text: "inet:25@[::1]", message: "invalid host address <::1>: <inet:25@[::1]>"),
        Invalid(text: "inet6:25@[127.0.0.1]", message: "invalid host address <127.0.0.1>: <inet6:25@[127.0.0.1]>"),
        Invalid(text: "inet:25@[300.1.1.1]", message: "invalid host address <300.1.1.1>: <inet:25@[300.1.1.1]>"),
        Invalid(text: "inet:25@", message: "invalid host address <>: <inet:25@>"),
        Invalid(text: "inet:25@bad host", message: "invalid host address <bad host>: <inet:25@bad host>"),
        Invalid(
            text: "unix:/" + String(repeating: "a", count: 107),
            message: "unix socket path is 108 bytes, the limit is 107: <unix:/" + String(repeating: "a", count: 107)
                + ">"),
    ]

    @Test("invalid spec", arguments: invalid)
    func rejects(_ row: Invalid) {
        do {
            _ = try ConnectionSpec(parsing: row.text)
            Issue.record("accepted \(row.text)")
        } catch {
            #expect(error.description == row.message)
            #expect(error.spec == row.text)
        }
    }

    @Test(
        "Postfix spelling",
        arguments: [
            ("inet:127.0.0.1:10025", "inet:10025@[127.0.0.1]"),
            ("inet:localhost:8891", "inet:8891@localhost"),
            ("inet:[::1]:10025", "inet6:10025@[::1]"),
            ("unix:/run/opendkim/opendkim.sock", "unix:/run/opendkim/opendkim.sock"),
            ("/var/run/x.sock", "unix:/var/run/x.sock"),
        ])
    func parsesPostfixSpelling(_ text: String, _ expected: String) throws {
        #expect(try ConnectionSpec(postfix: text).description == expected)
    }
}
