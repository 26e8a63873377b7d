import Configuration
import MilterProtocol

/// One child's side of one SMTP session, as the coordinator tracks it.
struct ChildState {
    /// Where the connection to the child is.
    enum Connection: Equatable {
        /// Not connected yet (before negotiation).
        case notStarted
        /// The connection is being opened.
        case connecting
        /// Connected; the child owes its `O` answer.
        case negotiating
        /// Negotiated: the child takes commands.
        case ready
        /// Closed: quit, expired, failed or stopped for the session.
        case finished
    }

    /// Its `define_milter`.
    let definition: ChildDefinition
    /// Process-unique tag of this child session, for logs.
    let tag: Int
    /// Where the connection is.
    var connection: Connection = .notStarted
    /// The child's own negotiated option (offered ∩ requested).
    var session = Negotiation(version: 2, actions: [], steps: [])
    /// The stage whose reply the child owes, if any (ready children only).
    var awaiting: ReplyStage?
    /// Macros set by applicable conditions for this child, per stage code.
    var conditionMacros: [MilterCommandCode: [Macro]] = [:]
    /// Whether the child takes part in the current transaction.
    var inMessage = false
    /// Recipients of the current message the child was given and did not refuse.
    var acceptedRecipients = 0
    /// Set by a Restrict Accounts condition when a recipient outside the list was seen.
    var sawRestrictedRecipient = false
    /// What became of the child so far (statistics, conditions).
    var outcome = ChildOutcome.undecided
    /// The child's last refusal of a recipient of the current message (its outcome when it is
    /// aborted while in RCPT, runtime.md §2.4).
    var recipientRefusal: MilterStatus?
    /// The last command sent (for statistics).
    var lastState: MilterCommandCode = .negotiate
    /// When the current wait for a reply began (ns), if waiting.
    var waitStarted: UInt64?
    /// Total time spent waiting for this child's replies (ns).
    var waitTotal: UInt64 = 0

    /// A child that is not connected yet.
    init(definition: ChildDefinition, tag: Int) {
        self.definition = definition
        self.tag = tag
    }

    /// True while the child can still be sent commands this session.
    var isAlive: Bool { connection == .ready }

    /// Whether the child owes a reply (its `O` included).
    var owesReply: Bool { awaiting != nil || connection == .negotiating }

    /// Records the child's own verdict as its outcome; `continue` and `skip` decide nothing.
    mutating func record(_ status: MilterStatus) {
        switch status {
        case .continue, .skip: break
        case .accept, .reject, .temporaryFailure, .discard: outcome = .verdict(status)
        }
    }

    /// Whether the child asked not to get `code` at all (a version below 4 gets no DATA).
    func skipsEvent(_ code: MilterCommandCode) -> Bool {
        guard let flag = code.noEventFlag else { return false }
        if code == .data && session.version < 4 { return true }
        return session.steps.contains(flag)
    }

    /// Whether the child said it will not reply to `code`.
    func skipsReply(_ code: MilterCommandCode) -> Bool {
        guard let flag = code.noReplyFlag else { return false }
        return session.steps.contains(flag)
    }

    /// Whether a condition asking about this child's `result` sees it: `quitted` once the child
    /// is out of the session, the verdicts as its outcome says.
    func has(_ result: ChildResult) -> Bool {
        switch result {
        case .quitted: return connection == .finished
        case .accept, .reject, .temporaryFailure, .discard: return outcome.shows(result)
        }
    }
}
