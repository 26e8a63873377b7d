/// The result of one session with its timing.
struct SessionReport: Sendable {
    /// How it ended.
    var outcome: SessionOutcome
    /// Seconds from connection establishment (or, if it never was, from the start) to the end.
    var elapsed: Double
    /// Seconds from the start of the connect to the end.
    var latency: Double
}
