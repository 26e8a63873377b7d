/// The timeouts of one session, in seconds (defaults: the original library's 300/10/10/300).
struct TimeoutSettings: Sendable, Hashable {
    /// Establishing the connection.
    var connection: Double = 300
    /// Waiting for the reply to any command but end-of-message (and for the negotiation reply).
    var reading: Double = 10
    /// Getting one write out (matters when the milter stops reading).
    var writing: Double = 10
    /// Waiting for the final end-of-message reply; every `p` (progress) restarts it.
    var endOfMessage: Double = 300
    /// The whole session, connection included (`--timeout`); nil: unbounded.
    var session: Double?

    /// The timeout of a reply timer kind.
    func seconds(_ timer: TestServerSession.ReplyTimer) -> Double {
        switch timer {
        case .reading: return reading
        case .endOfMessage: return endOfMessage
        }
    }
}
