import Configuration
import MilterProtocol

/// A verdict the MTA can be told, as libmilter's `sfsistat` names them (`SMFIS_CONTINUE`,
/// `SMFIS_ACCEPT`, ...): what a child answered for a stage and what the manager answers the MTA.
///
/// What became of a child otherwise (stopped by a condition, failed, aborted, not decided) is a
/// `ChildOutcome`; a status with the SMTP reply code that goes with it is a `Verdict`; the rules
/// that combine statuses are `ReplyMerger`'s.
public enum MilterStatus: Hashable, Sendable, CaseIterable {
    /// `c`: go on.
    case `continue`
    /// `a`: accept (the rest of the session at connect/helo, the message or recipient later).
    case accept
    /// `r` or a 5xx `y`.
    case reject
    /// `t` or a 4xx `y`.
    case temporaryFailure
    /// `d`: accept and throw away the message.
    case discard
    /// `s`: the rest of the body is not wanted.
    case skip

    /// The reply the MTA gets for this status when no SMTP reply code goes with it.
    public var reply: MilterReply {
        switch self {
        case .continue: return .continue
        case .accept: return .accept
        case .reject: return .reject
        case .temporaryFailure: return .temporaryFailure
        case .discard: return .discard
        case .skip: return .skip
        }
    }

    /// True for reject, temporary-failure and discard: verdicts that end a message.
    public var isRefusal: Bool {
        switch self {
        case .reject, .temporaryFailure, .discard: return true
        case .continue, .accept, .skip: return false
        }
    }

    /// The word the `[statistics]` lines and milter-test-server print (runtime.md §5.2): `pass`
    /// for continue. An interface: the log analyzer reads these words.
    public var nick: String {
        switch self {
        case .continue: return "pass"
        case .accept: return "accept"
        case .reject: return "reject"
        case .temporaryFailure: return "temporary-failure"
        case .discard: return "discard"
        case .skip: return "skip"
        }
    }

    /// The status a configured fallback stands for.
    public init(_ fallback: FallbackStatus) {
        switch fallback {
        case .accept: self = .accept
        case .reject: self = .reject
        case .temporaryFailure: self = .temporaryFailure
        case .discard: self = .discard
        }
    }
}
