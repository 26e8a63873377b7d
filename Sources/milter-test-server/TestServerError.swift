import MilterProtocol
import MilterSupport

/// Why a session did not complete. Each prints as one line after `error: `.
enum TestServerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The connection could not be established.
    case connectFailed(spec: String, reason: String)
    /// The connection was not established within the connection timeout.
    case connectionTimeout(spec: String, seconds: Double)
    /// No reply to a command within the reading timeout.
    case readingTimeout(stage: String, seconds: Double)
    /// A write did not complete within the writing timeout.
    case writingTimeout(stage: String, seconds: Double)
    /// No final reply to end-of-message within the end-of-message timeout.
    case endOfMessageTimeout(seconds: Double)
    /// The whole session took longer than `--timeout`.
    case sessionTimeout(seconds: Double)
    /// The milter closed the connection while a reply was due.
    case closedByMilter(stage: String)
    /// The milter sent bytes that are not a valid reply.
    case malformedReply(stage: String, detail: String)
    /// The milter sent a reply that is not allowed at this point.
    case unexpectedReply(reply: String, stage: String)
    /// The milter's negotiation answer cannot be used.
    case negotiationFailed(String)
    /// Any other I/O error.
    case io(stage: String, detail: String)

    /// One line, without a trailing newline.
    var description: String {
        switch self {
        case .connectFailed(let spec, let reason): return "Failed to connect to \(spec): \(reason)"
        case .connectionTimeout(let spec, let seconds):
            return "connection timeout: \(spec) not connected within \(CFormat.g(seconds)) seconds"
        case .readingTimeout(let stage, let seconds):
            return "reading timeout: no reply to \(stage) within \(CFormat.g(seconds)) seconds"
        case .writingTimeout(let stage, let seconds):
            return "writing timeout: \(stage) not written within \(CFormat.g(seconds)) seconds"
        case .endOfMessageTimeout(let seconds):
            return "end-of-message timeout: no final reply within \(CFormat.g(seconds)) seconds"
        case .sessionTimeout(let seconds):
            return "session timeout: not finished within \(CFormat.g(seconds)) seconds"
        case .closedByMilter(let stage):
            return "connection closed by the milter while waiting for the reply to \(stage)"
        case .malformedReply(let stage, let detail): return "malformed reply to \(stage): \(detail)"
        case .unexpectedReply(let reply, let stage): return "unexpected reply \(reply) to \(stage)"
        case .negotiationFailed(let detail): return "negotiation failed: \(detail)"
        case .io(let stage, let detail): return "I/O error during \(stage): \(detail)"
        }
    }

    /// A short name for grouping failures in the load summary.
    var kind: String {
        switch self {
        case .connectFailed: return "connect failed"
        case .connectionTimeout: return "connection timeout"
        case .readingTimeout: return "reading timeout"
        case .writingTimeout: return "writing timeout"
        case .endOfMessageTimeout: return "end-of-message timeout"
        case .sessionTimeout: return "session timeout"
        case .closedByMilter: return "closed by milter"
        case .malformedReply: return "malformed reply"
        case .unexpectedReply: return "unexpected reply"
        case .negotiationFailed: return "negotiation failed"
        case .io: return "I/O error"
        }
    }

    /// How a reply is named in messages: its code character and nick, e.g. `'h' (add-header)`.
    static func describe(_ reply: MilterReply) -> String {
        let nick: String
        switch reply {
        case .negotiate: nick = "negotiate"
        case .continue: nick = "continue"
        case .accept: nick = "accept"
        case .reject: nick = "reject"
        case .temporaryFailure: nick = "temporary-failure"
        case .discard: nick = "discard"
        case .skip: nick = "skip"
        case .progress: nick = "progress"
        case .connectionFailure: nick = "connection-failure"
        case .shutdown: nick = "shutdown"
        case .replyCode: nick = "reply-code"
        case .quarantine: nick = "quarantine"
        case .setSymbolList: nick = "set-symbol-list"
        case .modification(let modification):
            switch modification {
            case .addHeader: nick = "add-header"
            case .insertHeader: nick = "insert-header"
            case .changeHeader: nick = "change-header"
            case .changeFrom: nick = "change-envelope-from"
            case .addRecipient: nick = "add-envelope-recipient"
            case .deleteRecipient: nick = "delete-envelope-recipient"
            case .replaceBody: nick = "replace-body"
            }
        }
        return "'\(reply.code.character)' (\(nick))"
    }
}
