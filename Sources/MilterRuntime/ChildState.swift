import MilterProtocol

/// One child's side of one SMTP session, as the coordinator tracks it.
struct ChildState {
    /// Where the connection to the child is.
    enum Connection: Equatable {
        case notStarted
        case connecting
        case negotiating
        case ready
        case finished
    }

    let definition: ChildDefinition
    /// Process-unique tag of this child session, for logs.
    let tag: Int
    var connection: Connection = .notStarted
    /// The child's own negotiated option (offered ∩ requested).
    var session = Negotiation(version: 2, actions: [], steps: [])
    /// The command whose reply the child owes, if any.
    var awaiting: MilterCommandCode?
    /// Macros set by applicable conditions for this child, per stage code.
    var conditionMacros: [MilterCommandCode: [Macro]] = [:]
    /// Whether the child takes part in the current message.
    var inMessage = false
    /// Recipients of the current message the child was given and did not refuse.
    var acceptedRecipients = 0
    /// Set by a Restrict Accounts condition when a recipient outside the list was seen.
    var sawRestrictedRecipient = false
    /// The child's status as statistics report it.
    var status: MilterStatus = .notChange
    /// The recipient status (for statistics when aborted while in RCPT).
    var recipientStatus: MilterStatus = .notChange
    /// The last command sent (for statistics).
    var lastState: MilterCommandCode = .negotiate
    /// When the current wait for a reply began (ns), if waiting.
    var waitStarted: UInt64?
    /// Total time spent waiting for this child's replies (ns).
    var waitTotal: UInt64 = 0
    /// Body bytes this child sent with `b` during the current end-of-message.
    var replacementBody: [UInt8]?

    init(definition: ChildDefinition, tag: Int) {
        self.definition = definition
        self.tag = tag
    }

    /// True while the child can still be sent commands this session.
    var isAlive: Bool { connection == .ready }

    /// Whether the child asked not to get `code` at all.
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
}
