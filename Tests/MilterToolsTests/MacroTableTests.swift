import MilterProtocol
import NIOCore
import Testing

@testable import milter_test_server

/// The `D` packets the test server sends: Postfix-like defaults, the queue id, requested lists.
@Suite("Macros sent by milter-test-server")
struct MacroTableTests {
    /// The macros of every `D` packet of a session where every stage continues.
    private func macroPackets(
        _ plan: SessionPlan = ServerFixtures.plan(), requests: [MacroRequest] = [], steps: ProtocolFlags = []
    ) -> [MilterCommandCode: [[Macro]]] {
        let writes = ServerFixtures.driveCommands(
            plan, steps: steps, macroRequests: requests, replies: [MilterReply](repeating: .continue, count: 12))
        var packets: [MilterCommandCode: [[Macro]]] = [:]
        for case .macro(let stage, let macros) in writes.joined() { packets[stage, default: []].append(macros) }
        return packets
    }

    private func pairs(_ macros: [Macro]?) -> [String] { (macros ?? []).map { "\($0.name)=\($0.value.string)" } }

    @Test func defaultsPerStage() {
        let packets = macroPackets()
        #expect(
            pairs(packets[.connect]?.first)
                == ["daemon_name=milter-test-server", "if_addr=127.0.0.1", "if_name=localhost", "j=mail.example.com"])
        #expect(
            pairs(packets[.helo]?.first) == [
                "cert_issuer=cert_issuer", "cert_subject=cert_subject", "cipher=0", "cipher_bits=0", "tls_version=0",
            ])
        #expect(
            pairs(packets[.mail]?.first) == [
                "mail_addr=sender@example.com", "mail_host=mail_host", "mail_mailer=mail_mailer",
            ])
        #expect(
            pairs(packets[.recipient]?.first) == [
                "rcpt_addr=receiver@example.org", "rcpt_host=rcpt_host", "rcpt_mailer=rcpt_mailer",
            ])
        let queueIDs = [packets[.data], packets[.endOfHeader], packets[.endOfMessage]].map { pairs($0?.first) }
        #expect(queueIDs[0] == queueIDs[1] && queueIDs[1] == queueIDs[2])
        #expect(queueIDs[0].count == 1 && queueIDs[0][0].hasPrefix("i="))
        let id = queueIDs[0][0].dropFirst(2)
        #expect(id.count == 11 && id.allSatisfy { $0.isHexDigit && !$0.isLowercase })
        #expect(packets[.header] == nil && packets[.body] == nil)
    }

    @Test func eachRecipientGetsItsOwnAddress() {
        let packets = macroPackets(ServerFixtures.plan(recipients: ["a@example.org", "<b@example.org>"]))
        #expect(packets[.recipient]?.map { pairs($0).first } == ["rcpt_addr=a@example.org", "rcpt_addr=b@example.org"])
    }

    @Test func optionsReplaceAndAddAndAuthenticationIsOnMail() {
        var plan = ServerFixtures.plan(overrides: [
            .connect: [Macro(name: "j", value: "mx.test"), Macro(name: "{v}", value: "Postfix 3.7")],
            .data: [Macro(name: "i", value: "QUEUE1")],
        ])
        let address = ConnectAddress.inet(address: "192.0.2.1", port: 25)
        plan.macros = MacroTable(
            MacroTable.Context(
                daemonName: "renamed", connectHost: "client.example", connectAddress: address,
                envelopeFrom: "<s@example.com>", authenticatedName: "user", authenticatedType: "PLAIN",
                authenticatedAuthor: "author@example.com",
                overrides: [
                    .connect: [Macro(name: "j", value: "mx.test")], .data: [Macro(name: "i", value: "QUEUE1")],
                ],
                version: "v"))
        let packets = macroPackets(plan)
        let connect = pairs(packets[.connect]?.first)
        #expect(connect.contains("daemon_name=renamed"))  // --name changes {daemon_name}
        #expect(connect.contains("j=mx.test"))
        #expect(pairs(packets[.data]?.first) == ["i=QUEUE1"])
        #expect(pairs(packets[.endOfMessage]?.first) != ["i=QUEUE1"])
        let mail = pairs(packets[.mail]?.first)
        #expect(mail.contains("auth_authen=user") && mail.contains("auth_type=PLAIN"))
        #expect(mail.contains("auth_author=author@example.com"))
    }

    /// The original hung with two or more requested symbols at one stage; here the milter gets
    /// exactly its list, in its order, unknown names carrying their own name.
    @Test func requestedListsAreHonoured() {
        let packets = macroPackets(
            requests: [
                MacroRequest(stage: .connect, symbols: ["{client_addr}", "j", "{client_port}", "{unheard_of}"]),
                MacroRequest(stage: .endOfMessage, symbols: ["i", "{mail_addr}"]),
            ])
        #expect(
            pairs(packets[.connect]?.first) == [
                "client_addr=192.168.123.123", "j=mail.example.com", "client_port=50443", "unheard_of=unheard_of",
            ])
        let eom = pairs(packets[.endOfMessage]?.first)
        #expect(eom.count == 2 && eom[0].hasPrefix("i=") && eom[1] == "mail_addr=mail_addr")
        #expect(pairs(packets[.helo]?.first).count == 5)  // no list for helo: the defaults
    }

    @Test func queueIDsDifferPerMessage() {
        let generator = QueueIDGenerator(seed: 42)
        #expect(generator.id(0) != generator.id(1))
        #expect(generator.id(7).count == 11)
    }

    @Test func headerValuesGetALeadingSpaceWhenNegotiated() {
        let writes = ServerFixtures.driveCommands(
            ServerFixtures.plan(), steps: [.headerValueWithLeadingSpace],
            replies: [MilterReply](repeating: .continue, count: 12))
        let headers = writes.joined().compactMap { command -> String? in
            if case .header(let name, let value) = command { return "\(name.string):\(value.string)" }
            return nil
        }
        #expect(headers == ["From: <sender@example.com>", "To: <receiver@example.org>"])
    }
}
