import MilterProtocol

extension MilterReply {
    /// The action (`SMFIF_*`) a child must have negotiated, and the MTA granted the manager,
    /// for this reply to reach the MTA; nil for replies that need none. One place for every
    /// message-changing reply: changes of the message and quarantine.
    public var requiredAction: ActionFlags? {
        switch self {
        case .modification(let modification): return modification.requiredAction
        case .quarantine: return .quarantine
        case .setSymbolList: return .setSymbolList
        case .negotiate, .continue, .accept, .reject, .temporaryFailure, .discard, .skip, .progress,
            .connectionFailure, .shutdown, .replyCode:
            return nil
        }
    }
}
