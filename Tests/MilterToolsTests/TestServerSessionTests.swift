import MilterProtocol
import NIOCore
import Testing

@testable import milter_test_server

/// The MTA-side state machine, one conversation per row: what the milter negotiated and
/// answered, what was written (writes separated by `|`), how the session ended.
@Suite("TestServerSession")
struct TestServerSessionTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var plan: SessionPlan = ServerFixtures.plan()
        var steps: ProtocolFlags = []
        var version: UInt32?
        var replies: [MilterReply]
        var transcript: String
        var status: SessionStatus
        var testDescription: String { name }
    }

    static let all = "O | D(C) C | D(H) H | D(M) M | D(R) R | D(T) T | L | L | D(N) N | B | D(E) E"
    static let continues = [MilterReply](repeating: .continue, count: 10)
    static let threeChunks = ServerFixtures.plan(bodies: ["one\n", "two\n", "three\n"])
    static let twoRecipients = ServerFixtures.plan(recipients: ["a@example.org", "b@example.org"])

    static let cases: [Case] = [
        Case(name: "every stage continues", replies: continues, transcript: all + " | Q", status: .pass),
        Case(
            name: "end-of-message accept", replies: Array(continues.prefix(9)) + [.accept],
            transcript: all + " | A Q", status: .accept),
        Case(
            name: "no-connect and no-helo are skipped", steps: [.noConnect, .noHelo], replies: continues,
            transcript: "O | D(M) M | D(R) R | D(T) T | L | L | D(N) N | B | D(E) E | Q", status: .pass),
        Case(
            name: "every message stage negotiated away",
            steps: [.noRecipient, .noData, .noHeaders, .noEndOfHeader, .noBody], replies: continues,
            transcript: "O | D(C) C | D(H) H | D(M) M | D(E) E | Q", status: .pass),
        Case(
            name: "no-reply stages follow in the same write",
            steps: [.noReplyConnect, .noReplyHelo, .noReplyHeader, .noReplyBody], replies: continues,
            transcript: "O | D(C) C D(H) H D(M) M | D(R) R | D(T) T | L L D(N) N | B D(E) E | Q", status: .pass),
        Case(name: "reject at connect", replies: [.reject], transcript: "O | D(C) C | A Q", status: .reject),
        Case(
            name: "accept at helo ends the session", replies: [.continue, .accept],
            transcript: "O | D(C) C | D(H) H | A Q", status: .accept),
        Case(
            name: "tempfail at envelope-from", replies: [.continue, .continue, .temporaryFailure],
            transcript: "O | D(C) C | D(H) H | D(M) M | A Q", status: .temporaryFailure),
        Case(
            name: "discard at end-of-header", replies: Array(continues.prefix(7)) + [.discard],
            transcript: "O | D(C) C | D(H) H | D(M) M | D(R) R | D(T) T | L | L | D(N) N | A Q", status: .discard),
        Case(
            name: "connection-failure at data is status error",
            replies: Array(continues.prefix(4)) + [.connectionFailure],
            transcript: "O | D(C) C | D(H) H | D(M) M | D(R) R | D(T) T | A Q", status: .error),
        Case(
            name: "shutdown at body is abort", replies: Array(continues.prefix(8)) + [.shutdown],
            transcript: "O | D(C) C | D(H) H | D(M) M | D(R) R | D(T) T | L | L | D(N) N | B | A Q", status: .abort),
        Case(
            name: "the only recipient refused aborts", replies: Array(continues.prefix(3)) + [.reject],
            transcript: "O | D(C) C | D(H) H | D(M) M | D(R) R | A Q", status: .reject),
        Case(
            name: "one of two recipients refused: the message goes on", plan: twoRecipients,
            replies: Array(continues.prefix(3)) + [.reject] + continues,
            transcript: "O | D(C) C | D(H) H | D(M) M | D(R) R | D(R) R | D(T) T | L | L | D(N) N | B | D(E) E | Q",
            status: .pass),
        Case(
            name: "reject then tempfail: the last refusal decides", plan: twoRecipients,
            replies: Array(continues.prefix(3)) + [.reject, .temporaryFailure],
            transcript: "O | D(C) C | D(H) H | D(M) M | D(R) R | D(R) R | A Q", status: .temporaryFailure),
        Case(
            name: "tempfail then reject", plan: twoRecipients,
            replies: Array(continues.prefix(3)) + [.temporaryFailure, .reject],
            transcript: "O | D(C) C | D(H) H | D(M) M | D(R) R | D(R) R | A Q", status: .reject),
        Case(
            name: "skip drops the remaining body chunks", plan: threeChunks,
            replies: Array(continues.prefix(8)) + [.skip, .continue],
            transcript: "O | D(C) C | D(H) H | D(M) M | D(R) R | D(T) T | L | L | D(N) N | B | D(E) E | Q",
            status: .pass),
        Case(
            name: "version 2: no DATA", plan: ServerFixtures.plan(version: 2, unknown: "HELP"), replies: continues,
            transcript: "O | D(C) C | D(H) H | D(M) M | D(R) R | L | L | D(N) N | B | D(E) E | Q", status: .pass),
        Case(
            name: "version 3: unknown but no DATA", plan: ServerFixtures.plan(version: 3, unknown: "HELP"),
            replies: continues,
            transcript: "O | D(C) C | D(H) H | D(M) M | D(R) R | U | L | L | D(N) N | B | D(E) E | Q", status: .pass),
        Case(
            name: "version 6 with unknown", plan: ServerFixtures.plan(unknown: "HELP"),
            replies: continues + [.continue],
            transcript: "O | D(C) C | D(H) H | D(M) M | D(R) R | U | D(T) T | L | L | D(N) N | B | D(E) E | Q",
            status: .pass),
        Case(
            name: "two messages on one connection", plan: ServerFixtures.plan(messagesPerSession: 2),
            steps: [.noConnect, .noHelo, .noRecipient, .noData, .noHeaders, .noEndOfHeader, .noBody],
            replies: [.continue, .continue, .continue, .accept],
            transcript: "O | D(M) M | D(E) E | D(M) M | D(E) E | A Q", status: .accept),
    ]

    @Test(arguments: cases)
    func conversation(_ row: Case) {
        let run = ServerFixtures.drive(row.plan, steps: row.steps, version: row.version, replies: row.replies)
        #expect(run.transcript == row.transcript)
        #expect(run.outcome?.status == row.status)
        #expect(run.outcome?.failure == nil)
        #expect(run.session.state == .finished)
    }

    @Test func replyCodeAtEndOfMessageIsReportedWithItsParts() throws {
        let smtp = try SMTPReply(validating: "550 5.7.1 rejected by testmilter")
        let run = ServerFixtures.drive(
            ServerFixtures.plan(), replies: Array(Self.continues.prefix(9)) + [.replyCode(smtp)])
        #expect(run.outcome?.status == .reject)
        #expect(run.outcome.map(ResultPrinter.statusLine) == "status: reject [550]<5.7.1>(rejected by testmilter)")
        let tempfail = try SMTPReply(validating: "451 4.7.1 Greylisting")
        let second = ServerFixtures.drive(ServerFixtures.plan(), replies: [.replyCode(tempfail)])
        #expect(second.outcome.map(ResultPrinter.statusLine) == "status: temporary-failure [451]<4.7.1>(Greylisting)")
    }

    @Test func endOfMessageModificationsChangeTheCopyAndProgressRestartsTheTimer() {
        let replies: [MilterReply] =
            Array(Self.continues.prefix(9)) + [
                .modification(.addHeader(name: "X-Added", value: "yes")), .progress,
                .modification(.changeFrom(sender: "<new@example.com>", parameters: nil)),
                .modification(.addRecipient("<added@example.org>", parameters: nil)),
                .modification(.deleteRecipient("<receiver@example.org>")),
                .modification(.replaceBody(ByteBuffer(string: "new body"))), .quarantine(reason: "held"), .continue,
            ]
        let run = ServerFixtures.drive(ServerFixtures.plan(), replies: replies)
        #expect(run.outcome?.status == .quarantine)
        #expect(run.outcome?.quarantineReason == "held")
        let message = run.outcome?.message
        #expect(message?.envelopeFrom == "<new@example.com>")
        #expect(message?.recipients == ["<added@example.org>"])
        #expect(message?.headers.first(named: "X-Added")?.value == "yes")
        #expect(message?.body == Array("new body".utf8))
        #expect(run.timers.contains(.start(.endOfMessage)))
        #expect(run.timers.filter { $0 == .start(.endOfMessage) }.count == 2)  // EOM sent, then progress
    }

    @Test(arguments: [
        MilterReply.modification(.addHeader(name: "X", value: "y")), .progress, .quarantine(reason: "r"), .skip,
        .negotiate(Negotiation()),
    ])
    func replyNotAllowedAtHeloFailsTheSession(_ reply: MilterReply) {
        let run = ServerFixtures.drive(ServerFixtures.plan(), replies: [.continue, reply])
        #expect(run.outcome?.status == .error)
        guard case .unexpectedReply(_, let stage)? = run.outcome?.failure else {
            Issue.record("expected an unexpected-reply failure, got \(String(describing: run.outcome?.failure))")
            return
        }
        #expect(stage == "helo")
        #expect(run.writes.last == "A Q")
    }

    @Test func negotiationAnsweredWithAnythingElseFails() {
        var session = TestServerSession(plan: ServerFixtures.plan())
        _ = session.start()
        let actions = session.received(.continue)
        #expect(actions.outcome?.failure == .unexpectedReply(reply: "'c' (continue)", stage: "negotiate"))
    }

    @Test func newerVersionThanOfferedFails() {
        let run = ServerFixtures.drive(ServerFixtures.plan(version: 4), version: 6, replies: [])
        guard case .negotiationFailed? = run.outcome?.failure else {
            Issue.record("expected a negotiation failure")
            return
        }
    }

    @Test func timeoutsAndClosingAreFailuresNamingTheStage() {
        var session = TestServerSession(plan: ServerFixtures.plan())
        _ = session.start()
        _ = session.received(.negotiate(Negotiation(steps: [])))
        #expect(session.stageName == "connect")
        let closed = session.connectionClosed()
        #expect(closed.outcome?.failure == .closedByMilter(stage: "connect"))
        #expect(closed.write == nil)

        var timedOut = TestServerSession(plan: ServerFixtures.plan())
        _ = timedOut.start()
        let actions = timedOut.failed(.readingTimeout(stage: "negotiate", seconds: 10))
        #expect(ServerFixtures.summary(actions.write) == "A Q")
        #expect(actions.outcome?.failure?.description == "reading timeout: no reply to negotiate within 10 seconds")
        #expect(timedOut.failed(.sessionTimeout(seconds: 1)).outcome == nil)  // already over
    }

    @Test func refusedRecipientIsRemovedFromTheCopy() {
        let run = ServerFixtures.drive(
            Self.twoRecipients, replies: Array(Self.continues.prefix(3)) + [.continue, .reject] + Self.continues)
        #expect(run.outcome?.status == .pass)
        #expect(run.outcome?.message?.recipients == ["<a@example.org>"])
        #expect(run.outcome?.message?.originalRecipients == ["<a@example.org>", "<b@example.org>"])
    }
}
