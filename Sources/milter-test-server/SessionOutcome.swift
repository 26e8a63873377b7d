import MilterProtocol

/// How one session ended (the last message's result when a session carries several).
struct SessionOutcome: Sendable {
    /// The `status:` word.
    var status: SessionStatus
    /// The `y` reply that decided the status, if any.
    var reply: SMTPReply?
    /// The reason of a `q` reply, if any.
    var quarantineReason: MilterString?
    /// The changed message, when the plan records it.
    var message: MessageCopy?
    /// Set when the session failed (I/O error, timeout, bad reply): exit status 1.
    var failure: TestServerError?

    /// A failed session.
    static func failed(_ error: TestServerError) -> SessionOutcome {
        SessionOutcome(status: .error, reply: nil, quarantineReason: nil, message: nil, failure: error)
    }
}
