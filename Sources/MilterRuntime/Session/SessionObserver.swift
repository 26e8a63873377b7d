import MilterProtocol

/// What a session reports as it goes, for metrics: called synchronously on the session's event
/// loop at the points where the `[statistics]` lines are written (and when the MTA is answered),
/// so an implementation must be cheap and must not block. Stages are the statistics lines'
/// stage names (`connect`, `envelope-from`, ...), statuses their status words (`pass`,
/// `accept`, `reject`, `temporary-failure`, `stop`, `error`, ...).
public protocol SessionObserver: Sendable {
    /// The MTA was answered at `stage`, `nanoseconds` after the command was taken up.
    func answered(stage: MilterCommandCode, nanoseconds: UInt64)
    /// A session (or, after `K`, one connection's worth of it) ended with `status` at `stage`.
    func sessionEnded(stage: MilterCommandCode, status: String)
    /// Child `milter` left the session with `status` at `stage`.
    func milterEnded(_ milter: String, stage: MilterCommandCode, status: String)
    /// A message ended whose body (as the children left it) was kept in a spool file of
    /// `bytes` bytes (`manager.body_spool_threshold`).
    func bodySpooled(bytes: Int)
}
