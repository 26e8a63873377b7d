import MilterProtocol
import NIOCore
import NIOEmbedded
import Testing

@testable import milter_test_client
@testable import milter_test_server

/// The channel handlers on in-memory channels: writes, timers on virtual time, decode errors.
@Suite("Channel handlers")
struct HandlerTests {
    /// An embedded channel with a test-server handler; the outcome lands in `box`.
    final class ServerHarness {
        let channel = EmbeddedChannel()
        var outcome: SessionOutcome?
        var elapsed: NIODeadline?

        init(plan: SessionPlan = ServerFixtures.plan(), timeouts: TimeoutSettings = TimeoutSettings()) throws {
            let loop = channel.embeddedEventLoop
            let deadline = timeouts.session.map { loop.now + TestServerHandler.amount($0) }
            let handler = TestServerHandler(
                session: TestServerSession(plan: plan), timeouts: timeouts, sessionDeadline: deadline, quickAck: false
            ) { [unowned self] outcome, activeAt in
                self.outcome = outcome
                self.elapsed = activeAt
            }
            try channel.pipeline.syncOperations.addHandler(handler)
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        }

        /// Everything written since the last call, as `ServerFixtures.summary` text.
        func written() throws -> String {
            var parts: [String] = []
            while let buffer = try channel.readOutbound(as: ByteBuffer.self) {
                parts.append(ServerFixtures.summary(buffer))
            }
            return parts.joined(separator: " | ")
        }

        func reply(_ replies: MilterReply...) throws {
            var buffer = ByteBuffer()
            for reply in replies { reply.encode(into: &buffer) }
            try channel.writeInbound(buffer)
        }

        func advance(_ seconds: Int64) { channel.embeddedEventLoop.advanceTime(by: .seconds(seconds)) }
    }

    @Test func wholeSessionOverAChannel() throws {
        let harness = try ServerHarness()
        #expect(try harness.written() == "O")
        try harness.reply(.negotiate(Negotiation(steps: [.noHelo, .noData, .noHeaders, .noEndOfHeader, .noBody])))
        #expect(try harness.written() == "D(C) C")
        try harness.reply(.continue)
        try harness.reply(.continue)
        try harness.reply(.continue)
        #expect(try harness.written() == "D(M) M | D(R) R | D(E) E")
        try harness.reply(.modification(.addHeader(name: "X-A", value: "b")), .accept)
        #expect(try harness.written() == "A Q")
        #expect(harness.outcome?.status == .accept)
        #expect(harness.outcome?.message?.headers.first(named: "X-A")?.value == "b")
        #expect(!harness.channel.isActive)
    }

    @Test func readingTimeoutEndsWithAbortAndQuit() throws {
        let harness = try ServerHarness(timeouts: TimeoutSettings(reading: 2))
        _ = try harness.written()
        harness.advance(1)
        #expect(harness.outcome == nil)
        try harness.reply(.negotiate(Negotiation(steps: [])))
        harness.advance(1)  // 2 s after the start, 1 s after the last reply: still in time
        #expect(harness.outcome == nil)
        harness.advance(2)
        #expect(harness.outcome?.failure == .readingTimeout(stage: "connect", seconds: 2))
        #expect(try harness.written().hasSuffix("A Q"))
        #expect(!harness.channel.isActive)
    }

    @Test func progressRestartsTheEndOfMessageTimeout() throws {
        let harness = try ServerHarness(timeouts: TimeoutSettings(reading: 100, endOfMessage: 5))
        let all: ProtocolFlags = [
            .noConnect, .noHelo, .noMail, .noRecipient, .noData, .noHeaders, .noEndOfHeader, .noBody,
        ]
        try harness.reply(.negotiate(Negotiation(steps: all)))
        #expect(try harness.written() == "O | D(E) E")
        for _ in 0..<3 {
            harness.advance(4)
            try harness.reply(.progress)
        }
        #expect(harness.outcome == nil)
        harness.advance(6)
        #expect(harness.outcome?.failure == .endOfMessageTimeout(seconds: 5))
    }

    @Test func sessionTimeoutBoundsTheWholeSession() throws {
        let harness = try ServerHarness(timeouts: TimeoutSettings(reading: 100, session: 3))
        try harness.reply(.negotiate(Negotiation(steps: [])))
        harness.advance(2)
        try harness.reply(.continue)
        harness.advance(2)
        #expect(harness.outcome?.failure == .sessionTimeout(seconds: 3))
    }

    @Test func malformedReplyAndClosedConnection() throws {
        let harness = try ServerHarness()
        _ = try? harness.channel.writeInbound(ByteBuffer(bytes: [0, 0, 0, 0]))
        guard case .malformedReply(let stage, let detail)? = harness.outcome?.failure else {
            Issue.record("expected a malformed-reply failure, got \(String(describing: harness.outcome))")
            return
        }
        #expect(stage == "negotiate")
        #expect(detail.contains("length 0"))

        let closing = try ServerHarness()
        try closing.reply(.negotiate(Negotiation(steps: [])))
        try closing.channel.close().wait()
        #expect(closing.outcome?.failure == .closedByMilter(stage: "connect"))
    }

    @Test func clientHandlerAnswersAndPrintsNothingWhenQuiet() throws {
        var behavior = ClientBehavior()
        behavior.reportsEvents = false
        behavior.answers[.helo] = .reject
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(MilterCommandDecoder()))
        try channel.pipeline.syncOperations.addHandler(
            TestClientHandler(behavior: behavior, log: ClientLog(descriptor: 2, isVerbose: false)))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        var buffer = ByteBuffer()
        MilterCommand.negotiate(Negotiation()).encode(into: &buffer)
        MilterCommand.helo("x").encode(into: &buffer)
        try channel.writeInbound(buffer)
        var replies: [MilterReply] = []
        var decoder = MilterReplyDecoder()
        while var out = try channel.readOutbound(as: ByteBuffer.self) {
            while let reply = try decoder.decode(buffer: &out) { replies.append(reply) }
        }
        #expect(replies.count == 2)
        #expect(replies.last == .reject)
        var quit = ByteBuffer()
        MilterCommand.quit.encode(into: &quit)
        try channel.writeInbound(quit)
        #expect(!channel.isActive)
    }
}
