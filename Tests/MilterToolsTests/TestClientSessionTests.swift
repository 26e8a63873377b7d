import MilterProtocol
import NIOCore
import Testing

@testable import milter_test_client

/// The milter-side state machine of milter-test-client: event lines and answers.
@Suite("TestClientSession")
struct TestClientSessionTests {
    private func text(_ actions: TestClientSession.Actions) -> String {
        String(decoding: actions.output, as: UTF8.self)
    }

    private func negotiated(_ behavior: ClientBehavior = ClientBehavior()) -> TestClientSession {
        var session = TestClientSession(behavior: behavior)
        _ = session.received(.negotiate(Negotiation(version: 6, actions: .all, steps: .all)))
        return session
    }

    @Test func negotiationPrintsTheOfferAndAnswersWithoutNoFlags() {
        var session = TestClientSession(behavior: ClientBehavior())
        let actions = session.received(
            .negotiate(Negotiation(version: 6, actions: [.addHeaders, .changeBody], steps: .all)))
        #expect(
            text(actions).hasPrefix(
                "negotiate: version=<6>, action=<add-headers|change-body>, step=<no-connect|no-helo|"))
        #expect(text(actions).hasSuffix("|header-value-with-leading-space>\n"))
        guard case .negotiate(let answer)? = actions.replies.first else {
            Issue.record("expected a negotiation answer")
            return
        }
        #expect(answer.steps == [.skip])
        #expect(answer.actions == [.addHeaders, .changeBody])
    }

    @Test(arguments: [
        (
            MilterCommand.connect(hostname: "mx.example.net", address: .inet(address: "192.168.123.123", port: 50443)),
            "connect: host=<mx.example.net>, address=<inet:50443@[192.168.123.123]>\n"
        ),
        (
            .connect(hostname: "local", address: .unix(path: "/tmp/x.sock")),
            "connect: host=<local>, address=<unix:/tmp/x.sock>\n"
        ),
        (.helo("delian"), "helo: <delian>\n"),
        (.mail(sender: "<sender@example.com>", arguments: []), "envelope-from: <<sender@example.com>>\n"),
        (.recipient("<receiver@example.org>", arguments: []), "envelope-recipient: <<receiver@example.org>>\n"),
        (.data, "data\n"),
        (.unknown("HELP"), "unknown: <HELP>\n"),
        (.header(name: "From", value: "<sender@example.com>"), "header: <From: <sender@example.com>>\n"),
        (.endOfHeader, "end-of-header\n"),
        (.body(ByteBuffer(string: "La de da\n")), "body: <La de da\n>\n"),
        (.endOfMessage(ByteBuffer()), "end-of-message\n"),
        (.endOfMessage(ByteBuffer(string: "tail")), "end-of-message: <tail>\n"),
        (.abort, "abort\n"),
        (.quit, "finished\n"),
    ])
    func eventLines(_ command: MilterCommand, _ expected: String) {
        var session = negotiated()
        let actions = session.received(command)
        #expect(text(actions) == expected)
        switch command {
        case .abort, .macro, .negotiate, .quitNewConnection: #expect(actions.replies.isEmpty)
        case .quit: #expect(actions.replies.isEmpty && actions.close)
        case .connect, .helo, .mail, .recipient, .data, .unknown, .header, .endOfHeader, .body, .endOfMessage:
            #expect(actions.replies == [.continue])
        }
    }

    @Test func macrosFollowTheirStageSortedWithoutBraces() {
        var session = negotiated()
        _ = session.received(
            .macro(
                stage: .connect,
                macros: [Macro(name: "j", value: "mail.example.com"), Macro(name: "{daemon_name}", value: "mts")]))
        let connect = session.received(.connect(hostname: "h", address: .unknown))
        #expect(
            text(connect) == "connect: host=<h>, address=<unknown>\nmacros:\n  daemon_name=mts\n  j=mail.example.com\n")
        #expect(text(session.received(.helo("x"))) == "helo: <x>\n")
        _ = session.received(.macro(stage: .endOfMessage, macros: [Macro(name: "i", value: "Q1")]))
        #expect(text(session.received(.endOfMessage(ByteBuffer()))) == "end-of-message\nmacros:\n  i=Q1\n")
        // Message macros are forgotten after the message; connection macros stay.
        #expect(text(session.received(.endOfMessage(ByteBuffer()))) == "end-of-message\n")
        #expect(text(session.received(.connect(hostname: "h", address: .unknown))).contains("daemon_name=mts"))
    }

    @Test(arguments: ClientStage.allCases)
    func rejectAndTempfailAtEveryStage(_ stage: ClientStage) throws {
        let command = Self.command(at: stage)
        var behavior = ClientBehavior()
        behavior.answers[stage] = .reject
        var rejecting = negotiated(behavior)
        #expect(rejecting.received(command).replies == [.reject])
        behavior.answers[stage] = .temporaryFailure
        var tempfailing = negotiated(behavior)
        #expect(tempfailing.received(command).replies == [.temporaryFailure])
        behavior.replyCode = try SMTPReply(validating: "450 4.7.1 later")
        var coded = negotiated(behavior)
        #expect(coded.received(command).replies == [.replyCode(try SMTPReply(validating: "450 4.7.1 later"))])
    }

    @Test func endOfMessageAddsHeadersAndQuarantinesUnlessRefused() {
        var behavior = ClientBehavior()
        behavior.addHeaders = [("X-One", "1"), ("X-Two", "2")]
        behavior.quarantineReason = "held"
        var session = negotiated(behavior)
        #expect(
            session.received(.endOfMessage(ByteBuffer())).replies == [
                .modification(.addHeader(name: "X-One", value: "1")),
                .modification(.addHeader(name: "X-Two", value: "2")),
                .quarantine(reason: "held"), .continue,
            ])
        behavior.answers[.endOfMessage] = .reject
        var refusing = negotiated(behavior)
        #expect(refusing.received(.endOfMessage(ByteBuffer())).replies == [.reject])
    }

    @Test func quietPrintsNothingButStillAnswers() {
        var behavior = ClientBehavior()
        behavior.reportsEvents = false
        var session = TestClientSession(behavior: behavior)
        let actions = session.received(.negotiate(Negotiation()))
        #expect(actions.output.isEmpty && actions.replies.count == 1)
        #expect(session.received(.helo("x")).output.isEmpty)
    }

    @Test func finishedOnceAndErrors() {
        var session = negotiated()
        #expect(text(session.connectionClosed()) == "finished\n")
        #expect(text(session.connectionClosed()).isEmpty)
        var broken = negotiated()
        let failed = broken.failed("packet at offset 0: length 0 (a packet needs at least its code)")
        #expect(text(failed) == "ERROR: packet at offset 0: length 0 (a packet needs at least its code)\nfinished\n")
        #expect(failed.close)
        var early = TestClientSession(behavior: ClientBehavior())
        #expect(text(early.received(.helo("x"))).hasPrefix("ERROR: helo received before negotiate"))
        var probe = TestClientSession(behavior: ClientBehavior())
        #expect(text(probe.connectionClosed()).isEmpty)
    }

    @Test func quitNewConnectionStartsOver() {
        var session = negotiated()
        #expect(text(session.received(.quitNewConnection)) == "finished\n")
        #expect(session.state == .negotiating)
        #expect(text(session.received(.negotiate(Negotiation()))).hasPrefix("negotiate: "))
    }

    static func command(at stage: ClientStage) -> MilterCommand {
        switch stage {
        case .connect: return .connect(hostname: "h", address: .unknown)
        case .helo: return .helo("h")
        case .envelopeFrom: return .mail(sender: "<s@example.com>", arguments: [])
        case .envelopeRecipient: return .recipient("<r@example.com>", arguments: [])
        case .data: return .data
        case .unknown: return .unknown("HELP")
        case .header: return .header(name: "Subject", value: "x")
        case .endOfHeader: return .endOfHeader
        case .body: return .body(ByteBuffer(string: "b"))
        case .endOfMessage: return .endOfMessage(ByteBuffer())
        }
    }
}
