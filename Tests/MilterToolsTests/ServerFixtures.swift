import MilterProtocol
import NIOCore

@testable import milter_test_server

/// Plans and transcripts for the MTA-side state machine tests.
enum ServerFixtures {
    /// A plan like the command line's defaults, with the given message parts.
    static func plan(
        version: UInt32 = 6, recipients: [String] = ["receiver@example.org"], headers: [(String, String)] = [],
        bodies: [String] = [MessageTemplate.defaultBody], unknown: String? = nil, messagesPerSession: Int = 1,
        recordsMessage: Bool = true, overrides: [MacroStage: [Macro]] = [:]
    ) -> SessionPlan {
        var list = HeaderList()
        for (name, value) in headers { list.append(name: MilterString(name), value: MilterString(value)) }
        let message = MessageTemplate(
            envelopeFrom: "sender@example.com", recipients: recipients.map { MilterString($0) }, headers: list,
            bodyChunks: bodies.map { ByteBuffer(string: $0) })
        let address = ConnectAddress.inet(address: "192.168.123.123", port: 50443)
        let context = MacroTable.Context(
            daemonName: "milter-test-server", connectHost: "mx.example.net", connectAddress: address,
            envelopeFrom: message.envelopeFrom, authenticatedName: nil, authenticatedType: nil,
            authenticatedAuthor: nil, overrides: overrides, version: "milter-test-server 1.0.0")
        return SessionPlan(
            version: version, connectHost: "mx.example.net", connectAddress: address, heloFQDN: "delian",
            message: message, macros: MacroTable(context), unknownCommand: unknown.map { MilterString($0) },
            messagesPerSession: messagesPerSession, recordsMessage: recordsMessage)
    }

    /// The commands in one write.
    static func commands(_ buffer: ByteBuffer?) -> [MilterCommand] {
        guard var buffer else { return [] }
        var decoder = MilterCommandDecoder()
        var commands: [MilterCommand] = []
        while let command = try? decoder.decode(buffer: &buffer) { commands.append(command) }
        return commands
    }

    /// One write as text: `D(C) C`, `L`, `A Q`.
    static func summary(_ buffer: ByteBuffer?) -> String {
        commands(buffer).map { command -> String in
            if case .macro(let stage, _) = command { return "D(\(stage.character))" }
            return String(command.code.character)
        }.joined(separator: " ")
    }

    /// Result of driving a session: every write (as `summary`), and the outcome.
    struct Run {
        var writes: [String]
        var outcome: SessionOutcome?
        var timers: [TestServerSession.TimerChange]
        var session: TestServerSession

        /// The writes joined with ` | `.
        var transcript: String { writes.joined(separator: " | ") }
    }

    /// Starts a session, answers negotiation with `steps` (and `macroRequests`), then feeds
    /// `replies` one by one until the session ends.
    static func drive(
        _ plan: SessionPlan, steps: ProtocolFlags = [], actions: ActionFlags = .all,
        macroRequests: [MacroRequest] = [], version: UInt32? = nil, replies: [MilterReply]
    ) -> Run {
        var session = TestServerSession(plan: plan, queueIDs: QueueIDGenerator(seed: 0x1234))
        var run = Run(writes: [], outcome: nil, timers: [], session: session)
        func record(_ actions: TestServerSession.Actions) {
            if actions.write != nil { run.writes.append(summary(actions.write)) }
            run.timers.append(actions.timer)
            if let outcome = actions.outcome { run.outcome = outcome }
        }
        record(session.start())
        let answer = Negotiation(
            version: version ?? plan.version, actions: actions, steps: steps, macroRequests: macroRequests)
        record(session.received(.negotiate(answer)))
        for reply in replies where run.outcome == nil { record(session.received(reply)) }
        run.session = session
        return run
    }

    /// The writes (`MilterCommand`s) of a drive, for checking payloads.
    static func driveCommands(
        _ plan: SessionPlan, steps: ProtocolFlags = [], macroRequests: [MacroRequest] = [], replies: [MilterReply]
    ) -> [[MilterCommand]] {
        var session = TestServerSession(plan: plan, queueIDs: QueueIDGenerator(seed: 0x1234))
        var writes = [commands(session.start().write)]
        var actions = session.received(
            .negotiate(Negotiation(version: plan.version, steps: steps, macroRequests: macroRequests)))
        writes.append(commands(actions.write))
        for reply in replies where actions.outcome == nil {
            actions = session.received(reply)
            if actions.write != nil { writes.append(commands(actions.write)) }
        }
        return writes
    }
}
