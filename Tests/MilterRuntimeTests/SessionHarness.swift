import MilterProtocol
import NIOCore
import Testing

@testable import MilterRuntime

/// Drives a `SessionCoordinator` one event at a time and keeps what each event produced, for
/// tests of the state machine itself (the scenario files drive it with scripted children).
struct SessionHarness {
    var coordinator: SessionCoordinator
    /// Every action so far, in order.
    var history: [SessionAction] = []

    static let child6 = Negotiation(version: 6, actions: .all, steps: [])

    /// A session with one child per name (`evaluation` names are in evaluation mode).
    init(children names: [String], evaluation: Set<String> = [], fallback: MilterStatus = .accept) {
        let definitions = names.map {
            ChildDefinition(
                name: $0, connectionSpec: .unix(path: "/tmp/\($0).sock"), fallbackStatus: fallback,
                evaluationMode: evaluation.contains($0))
        }
        coordinator = SessionCoordinator(
            tag: 1, children: definitions, childTags: names.indices.map { $0 + 2 }, settings: SessionSettings(),
            environment: SessionEnvironment(now: { 1_000_000 }))
    }

    /// Runs one event and returns its actions. The state is never left in its transient case.
    @discardableResult
    mutating func run(_ event: (inout SessionCoordinator) -> Void) -> [SessionAction] {
        event(&coordinator)
        #expect(coordinator.state.name != "modifying", "an event left the state being modified")
        let actions = coordinator.takeActions()
        history += actions
        return actions
    }

    /// A command from the MTA.
    @discardableResult
    mutating func mta(_ command: MilterCommand) -> [SessionAction] { run { $0.mtaCommand(command) } }

    /// A reply from child `index`.
    @discardableResult
    mutating func child(_ index: Int, _ reply: MilterReply) -> [SessionAction] { run { $0.childReply(index, reply) } }

    /// The MTA's `O`; every child connects and answers with `option`.
    mutating func negotiate(_ option: Negotiation = child6) {
        mta(.negotiate(Negotiation(version: 6, actions: .all, steps: [])))
        connectAll(option)
    }

    /// Every child that is being connected connects and negotiates.
    mutating func connectAll(_ option: Negotiation = child6) {
        for index in coordinator.children.indices where coordinator.children[index].connection == .connecting {
            run { $0.childConnected(index) }
            child(index, .negotiate(option))
        }
    }

    /// CONNECT, MAIL, RCPT and DATA, every child continuing.
    mutating func openMessage() {
        for command in [
            MilterCommand.connect(hostname: "mx.example.net", address: .inet(address: "192.0.2.1", port: 25)),
            .mail(sender: "<s@example.com>", arguments: []), .recipient("<r@example.org>", arguments: []), .data,
        ] {
            mta(command)
            for index in coordinator.children.indices where coordinator.isAwaitingReply(from: index) {
                child(index, .continue)
            }
        }
    }

    /// A body sent to the MTA, as the `b` replies it gets.
    static func bodyReplies(_ body: BodySpool) -> [MilterReply] {
        do {
            return try body.chunks().map { .modification(.replaceBody($0)) }
        } catch {
            Issue.record("the body spool could not be read: \(error)")
            return []
        }
    }

    /// What the MTA got in `actions`.
    static func mtaReplies(_ actions: [SessionAction]) -> [MilterReply] {
        actions.flatMap { action -> [MilterReply] in
            if case .sendToMTA(let replies) = action { return replies }
            if case .sendBodyToMTA(let body) = action { return bodyReplies(body) }
            return []
        }
    }

    /// The commands child `index` got in `actions` (without macro packets).
    static func commands(to index: Int, _ actions: [SessionAction]) -> [MilterCommandCode] {
        actions.flatMap { action -> [MilterCommandCode] in
            if case .sendToChild(index, let commands, _) = action {
                return commands.map(\.code).filter { $0 != .macro }
            }
            return []
        }
    }

    /// The log lines in `actions`.
    static func logs(_ actions: [SessionAction]) -> [String] {
        actions.compactMap { action in
            if case .log(let entry) = action { return entry.message }
            return nil
        }
    }
}
