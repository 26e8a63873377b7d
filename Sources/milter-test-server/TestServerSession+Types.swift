import MilterProtocol
import NIOCore

extension TestServerSession {
    /// One command the session sends and waits for.
    enum Step: Hashable, Sendable {
        case negotiate, connect, helo, mail
        case recipient(Int)
        case unknown, data
        case header(Int)
        case endOfHeader
        case body(Int)
        case endOfMessage

        /// The stage name used in messages (`envelope-from`, `end-of-message`, ...).
        var name: String {
            switch self {
            case .negotiate: return "negotiate"
            case .connect: return "connect"
            case .helo: return "helo"
            case .mail: return "envelope-from"
            case .recipient: return "envelope-recipient"
            case .unknown: return "unknown"
            case .data: return "data"
            case .header: return "header"
            case .endOfHeader: return "end-of-header"
            case .body: return "body"
            case .endOfMessage: return "end-of-message"
            }
        }

        /// True for the stages of one message (a refusal there ends the message, not the session).
        var isMessageStage: Bool {
            switch self {
            case .negotiate, .connect, .helo: return false
            case .mail, .recipient, .unknown, .data, .header, .endOfHeader, .body, .endOfMessage: return true
            }
        }
    }

    /// Where the session is.
    enum State: Hashable, Sendable {
        /// Not started.
        case idle
        /// Waiting for the reply to a step.
        case awaiting(Step)
        /// Waiting for the final end-of-message reply (modifications arrive meanwhile).
        case endOfMessage
        /// Done; nothing more is sent.
        case finished
    }

    /// Which timeout guards the reply being waited for.
    enum ReplyTimer: Hashable, Sendable {
        /// `--reading-timeout`: negotiation and every command but end-of-message.
        case reading
        /// `--end-of-message-timeout`: restarted by every `p` (progress).
        case endOfMessage
    }

    /// What to do with the reply timer.
    enum TimerChange: Hashable, Sendable {
        /// Leave it running as it is.
        case keep
        /// (Re)start it with this timeout.
        case start(ReplyTimer)
        /// Stop it.
        case stop
    }

    /// What the channel handler must do after an event.
    struct Actions {
        /// Bytes to write (several packets in one write).
        var write: ByteBuffer?
        /// The reply timer.
        var timer: TimerChange = .keep
        /// Set once: the session is over; close the connection after the write.
        var outcome: SessionOutcome?
    }
}
