/// One `[statistics]` line of milter-manager (ours or the original's; runtime.md §5.2), typed.
public enum StatisticsEvent: Hashable, Sendable {
    /// `[session][end][STATE][STATUS][ELAPSED](TAG)`: an MTA connection finished.
    case sessionEnd(Ending)
    /// `[session][disconnected][ELAPSED](TAG)`: the MTA went away mid-session.
    case sessionDisconnected(elapsed: Double, tag: UInt64)
    /// `[session][header][add](TAG): <NAME>=<VALUE>`: a header the manager added for the MTA.
    case sessionHeaderAdded(HeaderAddition)
    /// `[milter][end][STATE][STATUS][ELAPSED](TAG): NAME`: a child's session finished.
    case milterEnd(Ending, milter: MilterName)
    /// `[milter][header][add](TAG): <NAME>=<VALUE>: MILTER`: a child asked to add a header.
    case milterHeaderAdded(HeaderAddition, milter: MilterName)
    /// `[sessions][finished] PROCESSED(+FINISHED) IN_PROGRESS`.
    case sessionsFinished(processed: UInt64, finished: UInt64, inProgress: UInt64)
    /// `[reply][end-of-message][quarantine](TAG)`: the MTA was told to quarantine the message.
    case quarantine(tag: UInt64)

    /// How a session (the manager's or a child's) ended.
    public struct Ending: Hashable, Sendable {
        /// The last protocol stage (`end-of-message`, `envelope-recipient`, ...).
        public var lastState: String
        /// The final status.
        public var status: StatusWord
        /// Seconds: wall time for the manager's session, time spent waiting for a child's replies.
        public var elapsed: Double
        /// The session's (or child session's) number in the log.
        public var tag: UInt64

        /// An ending.
        public init(lastState: String, status: StatusWord, elapsed: Double, tag: UInt64) {
            self.lastState = lastState
            self.status = status
            self.elapsed = elapsed
            self.tag = tag
        }
    }

    /// A header addition as logged.
    public struct HeaderAddition: Hashable, Sendable {
        /// The session's (or child session's) number.
        public var tag: UInt64
        /// The header name.
        public var name: String
        /// The value (invalid UTF-8 repaired).
        public var value: String

        /// A header addition.
        public init(tag: UInt64, name: String, value: String) {
            self.tag = tag
            self.name = name
            self.value = value
        }
    }
}
