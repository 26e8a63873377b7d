/// Where a session is; each case carries what is valid in it, so that no combination the
/// session cannot be in can be written (design.md convention 11).
enum SessionState {
    /// Waiting for the MTA's `O`.
    case awaitingNegotiation
    /// Children connect and negotiate; MTA commands wait.
    case negotiating(NegotiationRound)
    /// After `K`: the children are connected again before the next command runs.
    case awaitingReconnect
    /// Ready for the MTA's next command.
    case idle(Transaction)
    /// A broadcast command is out; MTA commands wait.
    case broadcast(BroadcastRound)
    /// The head child of the message owes a reply; MTA commands wait.
    case message(MessageFlight)
    /// The session is over.
    case finished
    /// Only while an event handler holds the data of the state it took out (so that the data is
    /// changed in place, not copied: swift-nio's state machines do the same); never seen between
    /// events.
    case modifying

    /// Whether the next MTA command runs now (else it waits in the queue).
    var isReadyForMTA: Bool {
        switch self {
        case .idle, .awaitingReconnect: return true
        case .awaitingNegotiation, .negotiating, .broadcast, .message, .finished, .modifying: return false
        }
    }

    /// The name debug logs use.
    var name: String {
        switch self {
        case .awaitingNegotiation: return "awaiting-negotiation"
        case .negotiating: return "negotiating"
        case .awaitingReconnect: return "awaiting-reconnect"
        case .idle(.envelope): return "idle"
        case .idle(.message): return "idle-in-message"
        case .idle(.messageAnswered): return "message-answered"
        case .broadcast(let round): return "broadcast-\(round.stage.code.stageName)"
        case .message: return "message"
        case .finished: return "finished"
        case .modifying: return "modifying"
        }
    }
}
