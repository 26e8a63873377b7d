import Configuration

/// What became of a child in a session so far: the verdict it gave, or an internal outcome that
/// no MTA ever hears of. Statistics print it (`[milter][end][...][<nick>]`, runtime.md §5.2) and
/// applicable conditions look at it (`ChildResult`).
enum ChildOutcome: Hashable {
    /// Nothing decided yet, or only `continue`.
    case undecided
    /// The child's own answer (its real one, also in evaluation mode).
    case verdict(MilterStatus)
    /// An applicable condition stopped the child.
    case stopped
    /// The child failed: an error, a timeout, a protocol violation, a lost connection.
    case failed
    /// The manager gave the child up without a verdict (negotiation fallback, session end
    /// while it was still connecting).
    case aborted

    /// The statistics word. An interface: the log analyzer reads these words.
    var nick: String {
        switch self {
        case .undecided: return "pass"
        case .verdict(let status): return status.nick
        case .stopped: return "stop"
        case .failed: return "error"
        case .aborted: return "abort"
        }
    }

    /// Whether a condition asking about this child's `result` sees it (`quitted` is about the
    /// connection, not the outcome: `ChildState.has(_:)` answers it).
    func shows(_ result: ChildResult) -> Bool {
        switch (self, result) {
        case (.verdict(.accept), .accept), (.verdict(.reject), .reject),
            (.verdict(.temporaryFailure), .temporaryFailure), (.verdict(.discard), .discard):
            return true
        case (.undecided, _), (.verdict, _), (.stopped, _), (.failed, _), (.aborted, _):
            return false
        }
    }
}
