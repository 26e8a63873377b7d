import MilterProtocol

/// What the MTA is sent at the end of a message (`ReplyMerger.endOfMessageAnswer`): replies, the
/// replaced body if a child replaced it (sent chunk by chunk as `b` from its spool, never whole
/// in memory), and the replies after it.
struct EndOfMessageAnswer {
    /// Recipient changes.
    var beforeBody: [MilterReply]
    /// The new body, nil when no child replaced it.
    var body: BodySpool?
    /// Header changes, sender change, quarantine, and the verdict last.
    var afterBody: [MilterReply]

    /// The replies without the body.
    var repliesWithoutBody: [MilterReply] { beforeBody + afterBody }

    /// The actions that send it, in order.
    var actions: [SessionAction] {
        var actions: [SessionAction] = []
        if !beforeBody.isEmpty { actions.append(.sendToMTA(beforeBody)) }
        if let body { actions.append(.sendBodyToMTA(body)) }
        actions.append(.sendToMTA(afterBody))
        return actions
    }
}
