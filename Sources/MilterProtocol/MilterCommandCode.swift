/// The one-byte code that starts every packet the MTA sends to a milter (`SMFIC_*`).
public enum MilterCommandCode: UInt8, Sendable, CaseIterable {
    /// `SMFIC_ABORT` ('A'): abort the current message; never answered.
    case abort = 0x41
    /// `SMFIC_BODY` ('B'): a body chunk.
    case body = 0x42
    /// `SMFIC_CONNECT` ('C'): SMTP connection information.
    case connect = 0x43
    /// `SMFIC_MACRO` ('D'): macro definitions for a stage.
    case macro = 0x44
    /// `SMFIC_BODYEOB` ('E'): end of message.
    case endOfMessage = 0x45
    /// `SMFIC_HELO` ('H'): HELO/EHLO name.
    case helo = 0x48
    /// `SMFIC_QUIT_NC` ('K'): quit this session, a new one follows on the same connection.
    case quitNewConnection = 0x4B
    /// `SMFIC_HEADER` ('L'): one header.
    case header = 0x4C
    /// `SMFIC_MAIL` ('M'): MAIL FROM.
    case mail = 0x4D
    /// `SMFIC_EOH` ('N'): end of headers.
    case endOfHeader = 0x4E
    /// `SMFIC_OPTNEG` ('O'): option negotiation.
    case negotiate = 0x4F
    /// `SMFIC_QUIT` ('Q'): close the session.
    case quit = 0x51
    /// `SMFIC_RCPT` ('R'): RCPT TO.
    case recipient = 0x52
    /// `SMFIC_DATA` ('T'): DATA (protocol version 4 and later).
    case data = 0x54
    /// `SMFIC_UNKNOWN` ('U'): an SMTP command the MTA does not know.
    case unknown = 0x55

    /// The code as a printable character, for messages.
    public var character: Character { Character(Unicode.Scalar(rawValue)) }

    /// The stage name the original milter manager uses in logs and statistics.
    public var stageName: String {
        switch self {
        case .abort: return "abort"
        case .body: return "body"
        case .connect: return "connect"
        case .macro: return "define-macro"
        case .endOfMessage: return "end-of-message"
        case .helo: return "helo"
        case .quitNewConnection: return "quit-new-connection"
        case .header: return "header"
        case .mail: return "envelope-from"
        case .endOfHeader: return "end-of-header"
        case .negotiate: return "negotiate"
        case .quit: return "quit"
        case .recipient: return "envelope-recipient"
        case .data: return "data"
        case .unknown: return "unknown"
        }
    }

    /// The step flag (`SMFIP_NO*`) with which a milter asks not to get this command at all.
    public var noEventFlag: ProtocolFlags? {
        switch self {
        case .connect: return .noConnect
        case .helo: return .noHelo
        case .mail: return .noMail
        case .recipient: return .noRecipient
        case .body: return .noBody
        case .header: return .noHeaders
        case .endOfHeader: return .noEndOfHeader
        case .unknown: return .noUnknown
        case .data: return .noData
        case .abort, .macro, .endOfMessage, .quitNewConnection, .negotiate, .quit: return nil
        }
    }

    /// The step flag (`SMFIP_NR_*`) with which a milter says it will not reply to this command.
    public var noReplyFlag: ProtocolFlags? {
        switch self {
        case .connect: return .noReplyConnect
        case .helo: return .noReplyHelo
        case .mail: return .noReplyMail
        case .recipient: return .noReplyRecipient
        case .data: return .noReplyData
        case .unknown: return .noReplyUnknown
        case .endOfHeader: return .noReplyEndOfHeader
        case .body: return .noReplyBody
        case .header: return .noReplyHeader
        case .abort, .macro, .endOfMessage, .quitNewConnection, .negotiate, .quit: return nil
        }
    }

    /// Whether a milter answers this command at all (before no-reply flags are considered).
    public var expectsReply: Bool {
        switch self {
        case .abort, .macro, .quit, .quitNewConnection: return false
        case .body, .connect, .endOfMessage, .helo, .header, .mail, .endOfHeader, .negotiate,
            .recipient, .data, .unknown:
            return true
        }
    }

    /// The codes a `D` (macro) packet may name as its stage.
    public var isMacroStage: Bool {
        switch self {
        case .connect, .helo, .mail, .recipient, .data, .header, .endOfHeader, .body, .endOfMessage,
            .unknown:
            return true
        case .abort, .macro, .quitNewConnection, .negotiate, .quit: return false
        }
    }
}
