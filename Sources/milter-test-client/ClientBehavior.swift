import MilterProtocol

/// How milter-test-client answers (everything continues unless told otherwise).
struct ClientBehavior: Sendable {
    /// The answer at one stage.
    enum Answer: Hashable, Sendable {
        case `continue`, accept, reject, temporaryFailure, discard
    }

    /// Stages answered with something other than continue.
    var answers: [ClientStage: Answer] = [:]
    /// Headers added at end-of-message (when the message is not refused).
    var addHeaders: [(name: MilterString, value: MilterString)] = []
    /// Quarantine reason sent at end-of-message, if any.
    var quarantineReason: MilterString?
    /// An SMTP reply sent (as `y`) instead of a plain reject or tempfail.
    var replyCode: SMTPReply?
    /// Print the events received.
    var reportsEvents = true

    /// The answer at `stage`.
    func answer(at stage: ClientStage) -> Answer { answers[stage] ?? .continue }
}
