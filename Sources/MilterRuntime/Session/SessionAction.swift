import MilterProtocol

/// Which reply timer runs for a child while it owes an answer.
public enum ReplyTimer: Hashable, Sendable {
    /// Connecting and negotiating (`milter.connection_timeout`).
    case connection
    /// An ordinary reply (`milter.reading_timeout`).
    case reading
    /// The end-of-message reply (`milter.end_of_message_timeout`; progress restarts it).
    case endOfMessage

    /// The name used in logs: `[children][timeout][<name>]`.
    public var name: String {
        switch self {
        case .connection: return "connection"
        case .reading: return "reading"
        case .endOfMessage: return "end-of-message"
        }
    }
}

/// A line for the log, with its level; statistics lines are the exact runtime.md §5.2 texts.
public struct SessionLogEntry: Hashable, Sendable {
    /// How important it is.
    public enum Level: Hashable, Sendable {
        /// `[statistics] ...` lines (syslog NOTICE).
        case statistics
        /// Something failed.
        case error
        /// Something odd that was handled.
        case warning
        /// Normal operation worth noting.
        case info
        /// Details.
        case debug
    }

    /// The level.
    public var level: Level
    /// The text, without the `[statistics] ` prefix.
    public var message: String

    /// A log line.
    public init(_ level: Level, _ message: String) {
        self.level = level
        self.message = message
    }
}

/// What the I/O layer must do for a session, in order.
public enum SessionAction: Hashable, Sendable {
    /// Open a connection to child `index` (its connection spec and connection timeout).
    case connectChild(Int)
    /// Write these commands to child `index` in one write; when `timer` is set a reply is
    /// expected: run the writing timer until the write is flushed, then `timer`.
    case sendToChild(Int, [MilterCommand], timer: ReplyTimer?)
    /// Stop the reply timer of child `index`.
    case cancelChildTimer(Int)
    /// Restart the reply timer of child `index` (progress at end-of-message).
    case restartChildTimer(Int, ReplyTimer)
    /// Close the connection to child `index` (after anything queued for it was written).
    case closeChild(Int)
    /// Write these replies to the MTA in one write, then restart the MTA idle timer.
    case sendToMTA([MilterReply])
    /// Write this body to the MTA as `b` replies, chunk by chunk as the MTA reads them; what
    /// follows for the MTA waits until it is written.
    case sendBodyToMTA(BodySpool)
    /// Close the MTA connection (after anything queued was written).
    case closeMTA
    /// Log a line.
    case log(SessionLogEntry)
    /// Look the client up in the DNSBL services (`DNSBLChecker`), then hand the verdict to
    /// `SessionCoordinator.dnsblChecked(_:)`.
    case checkDNSBL(ConnectAddress)
}
