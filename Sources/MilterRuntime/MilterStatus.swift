import Configuration
import MilterProtocol

/// A verdict as the manager combines them (runtime.md §2.2), and as statistics name them.
public enum MilterStatus: Hashable, Sendable {
    /// Nothing decided yet.
    case notChange
    /// `c`.
    case `continue`
    /// `a`.
    case accept
    /// `r` or a 5xx `y`.
    case reject
    /// `t` or a 4xx `y`.
    case temporaryFailure
    /// `d`.
    case discard
    /// `s`.
    case skip
    /// `p`.
    case progress
    /// `q`.
    case quarantine
    /// Stopped by an applicable condition.
    case stop
    /// The milter failed (`f`, an error, a timeout).
    case error
    /// The session was aborted (`4`, or the MTA aborted).
    case abort

    /// Strength when combining; higher wins. `discard > reject > temporary-failure > continue >
    /// skip > accept > everything else`.
    public var precedence: Int {
        switch self {
        case .discard: return 6
        case .reject: return 5
        case .temporaryFailure: return 4
        case .continue: return 3
        case .skip: return 2
        case .accept: return 1
        case .notChange, .progress, .quarantine, .stop, .error, .abort: return 0
        }
    }

    /// `self` or `other`, whichever is stronger (ties keep `self`).
    public func combined(with other: MilterStatus) -> MilterStatus {
        other.precedence > precedence ? other : self
    }

    /// The reply the MTA gets for a combined status.
    public var reply: MilterReply {
        switch self {
        case .continue: return .continue
        case .reject: return .reject
        case .temporaryFailure: return .temporaryFailure
        case .accept: return .accept
        case .discard: return .discard
        case .skip: return .skip
        case .notChange, .progress, .quarantine, .stop, .error, .abort: return .continue
        }
    }

    /// True for reject, temporary-failure and discard: verdicts that end a message.
    public var isRefusal: Bool {
        switch self {
        case .reject, .temporaryFailure, .discard: return true
        case .notChange, .continue, .accept, .skip, .progress, .quarantine, .stop, .error, .abort: return false
        }
    }

    /// The word statistics and milter-test-server print (`pass` for nothing special).
    public var nick: String {
        switch self {
        case .notChange, .continue: return "pass"
        case .accept: return "accept"
        case .reject: return "reject"
        case .temporaryFailure: return "temporary-failure"
        case .discard: return "discard"
        case .skip: return "skip"
        case .progress: return "progress"
        case .quarantine: return "quarantine"
        case .stop: return "stop"
        case .error: return "error"
        case .abort: return "abort"
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
