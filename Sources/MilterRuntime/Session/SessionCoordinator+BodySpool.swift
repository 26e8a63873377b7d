import MilterProtocol

/// A body that could not be stored (its spool file could not be created, written or read: a
/// full disk, an unwritable `manager.body_spool_directory`): the message gets the manager's
/// fallback status and every child is aborted; the session goes on.
extension SessionCoordinator {
    /// Answers the message with the fallback status; at end-of-message the transaction is over,
    /// before it the rest of the message gets the same answer.
    mutating func bodySpoolFailed(_ flight: inout MessageFlight, _ failure: BodySpoolError) -> MessageNext {
        let verdict = Verdict(settings.fallbackStatus)
        log(.error, "[\(tag)] [body-spool][error] \(failure); the message gets \(verdict.status.nick)")
        flight.message.pendingBody = nil
        replyToMTA(verdict)
        abortMessage(reason: "the message body could not be stored")
        if flight.sawEndOfMessage { return .done(.idle(.envelope(.beforeMail))) }
        return .done(.idle(.messageAnswered(verdict.status)))
    }
}
