import ArgumentParser
import MilterProtocol

/// A stage milter-test-client can be told to answer differently (`--reject-on STAGE`...).
enum ClientStage: String, CaseIterable, ExpressibleByArgument, Sendable, Hashable {
    case connect, helo
    case envelopeFrom = "envelope-from"
    case envelopeRecipient = "envelope-recipient"
    case data, unknown, header
    case endOfHeader = "end-of-header"
    case body
    case endOfMessage = "end-of-message"

    /// The stage of a command that is answered, nil for the others (negotiate, macro, abort, quit).
    init?(command: MilterCommand) {
        switch command {
        case .connect: self = .connect
        case .helo: self = .helo
        case .mail: self = .envelopeFrom
        case .recipient: self = .envelopeRecipient
        case .data: self = .data
        case .unknown: self = .unknown
        case .header: self = .header
        case .endOfHeader: self = .endOfHeader
        case .body: self = .body
        case .endOfMessage: self = .endOfMessage
        case .negotiate, .macro, .abort, .quit, .quitNewConnection: return nil
        }
    }

    /// The command code whose `D` packet carries this stage's macros.
    var commandCode: MilterCommandCode {
        switch self {
        case .connect: return .connect
        case .helo: return .helo
        case .envelopeFrom: return .mail
        case .envelopeRecipient: return .recipient
        case .data: return .data
        case .unknown: return .unknown
        case .header: return .header
        case .endOfHeader: return .endOfHeader
        case .body: return .body
        case .endOfMessage: return .endOfMessage
        }
    }

    /// True for the stages of one message (their macros are forgotten after the message).
    var isMessageStage: Bool {
        switch self {
        case .connect, .helo: return false
        case .envelopeFrom, .envelopeRecipient, .data, .unknown, .header, .endOfHeader, .body, .endOfMessage:
            return true
        }
    }
}
