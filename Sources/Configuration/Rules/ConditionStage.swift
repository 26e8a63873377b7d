/// The milter stages at which a condition can stop a child (runtime.md §2.8), in protocol
/// order; the raw value is the configuration spelling (`stage: :envelope_from`) and the name of
/// the Lua function called at that stage.
public enum ConditionStage: String, Hashable, Sendable, CaseIterable, Comparable {
    /// `connect(host, address)`.
    case connect
    /// `helo(fqdn)`.
    case helo
    /// `envelope_from(sender)`.
    case envelopeFrom = "envelope_from"
    /// `envelope_recipient(recipient)`.
    case envelopeRecipient = "envelope_recipient"
    /// `data()`.
    case data
    /// `header(name, value)`.
    case header
    /// `end_of_header()`.
    case endOfHeader = "end_of_header"
    /// `body(chunk)`.
    case body
    /// `end_of_message()`.
    case endOfMessage = "end_of_message"

    /// What a stop at this stage stops when the rule does not say (runtime.md §2.8): the
    /// session before MAIL, the recipient at RCPT, the message otherwise.
    public var defaultScope: StopScope {
        switch self {
        case .connect, .helo: return .session
        case .envelopeRecipient: return .recipient
        case .envelopeFrom, .data, .header, .endOfHeader, .body, .endOfMessage: return .message
        }
    }

    /// The scopes a stop at this stage may have: no message exists before MAIL, and a
    /// recipient only at RCPT.
    public var allowedScopes: [StopScope] {
        switch self {
        case .connect, .helo: return [.session]
        case .envelopeRecipient: return [.session, .message, .recipient]
        case .envelopeFrom, .data, .header, .endOfHeader, .body, .endOfMessage: return [.session, .message]
        }
    }

    /// The position in `allCases` (protocol order), for tables indexed by stage.
    public var ordinal: Int {
        switch self {
        case .connect: return 0
        case .helo: return 1
        case .envelopeFrom: return 2
        case .envelopeRecipient: return 3
        case .data: return 4
        case .header: return 5
        case .endOfHeader: return 6
        case .body: return 7
        case .endOfMessage: return 8
        }
    }

    public static func < (lhs: ConditionStage, rhs: ConditionStage) -> Bool { lhs.ordinal < rhs.ordinal }
}

/// What a stop takes the child out of.
public enum StopScope: String, Hashable, Sendable, CaseIterable {
    /// The rest of the SMTP session: the child is sent ABORT and QUIT.
    case session
    /// The current message: the child is aborted (or, at MAIL, skips it) and is back for the
    /// next one.
    case message
    /// This recipient only: it is not sent to the child, which goes on with the others.
    case recipient
}
