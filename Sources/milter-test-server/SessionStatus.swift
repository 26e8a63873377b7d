/// How a session ended, as the `status:` line names it (runtime.md §4.2).
enum SessionStatus: String, CaseIterable, Sendable, Hashable {
    /// Every stage continued (or some, not all, recipients were refused): the message went through.
    case pass
    /// The milter accepted the message (or the connection).
    case accept
    /// The milter rejected (`r`, or `y` with a 5xx code).
    case reject
    /// The milter tempfailed (`t`, or `y` with a 4xx code).
    case temporaryFailure = "temporary-failure"
    /// The milter discarded the message.
    case discard
    /// The milter skipped the rest of the body (never final here: the session continues).
    case skip
    /// The milter quarantined the message and let it through.
    case quarantine
    /// The milter sent `4` (shutdown): the session was aborted.
    case abort
    /// The milter sent `f` (connection failure), or the session failed (I/O error, timeout, bad
    /// reply); `SessionOutcome.failure` tells the two apart.
    case error

    /// The word printed after `status: `.
    var word: String { rawValue }

    /// Parses a status word (`temporary-failure`, also `tempfail`).
    init?(word: String) {
        if word == "tempfail" {
            self = .temporaryFailure
            return
        }
        self.init(rawValue: word)
    }
}
