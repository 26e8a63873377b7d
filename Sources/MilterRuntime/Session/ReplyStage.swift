import Configuration
import MilterProtocol

/// A command the MTA waits for an answer to, which the manager merges from its children
/// (runtime.md §2.1): a broadcast stage goes to every child at once, a message stage to one
/// child after the other.
enum ReplyStage: Hashable {
    /// Stages sent to every eligible child at once.
    enum Broadcast: Hashable, CaseIterable {
        /// `C`.
        case connect
        /// `H`.
        case helo
        /// `M`.
        case envelopeFrom
        /// `R`.
        case envelopeRecipient
        /// `T`.
        case data
        /// `U`.
        case unknown

        /// The stage of `code`, nil for commands that are not broadcast.
        init?(_ code: MilterCommandCode) {
            switch code {
            case .connect: self = .connect
            case .helo: self = .helo
            case .mail: self = .envelopeFrom
            case .recipient: self = .envelopeRecipient
            case .data: self = .data
            case .unknown: self = .unknown
            case .negotiate, .macro, .header, .endOfHeader, .body, .endOfMessage, .abort, .quit, .quitNewConnection:
                return nil
            }
        }

        /// The command code.
        var code: MilterCommandCode {
            switch self {
            case .connect: return .connect
            case .helo: return .helo
            case .envelopeFrom: return .mail
            case .envelopeRecipient: return .recipient
            case .data: return .data
            case .unknown: return .unknown
            }
        }
    }

    /// Stages sent to the children one after the other.
    enum Message: Hashable, CaseIterable {
        /// `L`.
        case header
        /// `N`.
        case endOfHeader
        /// `B`.
        case body
        /// `E`.
        case endOfMessage

        /// The command code.
        var code: MilterCommandCode {
            switch self {
            case .header: return .header
            case .endOfHeader: return .endOfHeader
            case .body: return .body
            case .endOfMessage: return .endOfMessage
            }
        }
    }

    /// A broadcast stage.
    case broadcast(Broadcast)
    /// A message stage.
    case message(Message)

    /// The command code.
    var code: MilterCommandCode {
        switch self {
        case .broadcast(let stage): return stage.code
        case .message(let stage): return stage.code
        }
    }

    /// The name logs use (`envelope-from`, `end-of-message`, ...).
    var name: String { code.stageName }

    /// The stage a condition is asked at; nil for `unknown`, which has no stopper hook.
    var conditionStage: ConditionStage? {
        switch self {
        case .broadcast(.connect): return .connect
        case .broadcast(.helo): return .helo
        case .broadcast(.envelopeFrom): return .envelopeFrom
        case .broadcast(.envelopeRecipient): return .envelopeRecipient
        case .broadcast(.data): return .data
        case .broadcast(.unknown): return nil
        case .message(.header): return .header
        case .message(.endOfHeader): return .endOfHeader
        case .message(.body): return .body
        case .message(.endOfMessage): return .endOfMessage
        }
    }
}
