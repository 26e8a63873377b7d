/// Which steps a milter wants and which it answers, negotiated in `O` (`SMFIP_*`).
public struct ProtocolFlags: OptionSet, Hashable, Sendable {
    /// The bits as on the wire; unknown bits (such as Sendmail's `SMFIP_MDS_*`) are kept.
    public var rawValue: UInt32

    /// Wraps wire bits.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `SMFIP_NOCONNECT`: do not send connect. Nick `no-connect`.
    public static let noConnect = ProtocolFlags(rawValue: 0x000001)
    /// `SMFIP_NOHELO`: do not send HELO. Nick `no-helo`.
    public static let noHelo = ProtocolFlags(rawValue: 0x000002)
    /// `SMFIP_NOMAIL`: do not send MAIL FROM. Nick `no-envelope-from`.
    public static let noMail = ProtocolFlags(rawValue: 0x000004)
    /// `SMFIP_NORCPT`: do not send RCPT TO. Nick `no-envelope-recipient`.
    public static let noRecipient = ProtocolFlags(rawValue: 0x000008)
    /// `SMFIP_NOBODY`: do not send the body. Nick `no-body`.
    public static let noBody = ProtocolFlags(rawValue: 0x000010)
    /// `SMFIP_NOHDRS`: do not send headers. Nick `no-headers`.
    public static let noHeaders = ProtocolFlags(rawValue: 0x000020)
    /// `SMFIP_NOEOH`: do not send end of headers. Nick `no-end-of-header`.
    public static let noEndOfHeader = ProtocolFlags(rawValue: 0x000040)
    /// `SMFIP_NR_HDR`: no reply to headers. Nick `no-reply-header`.
    public static let noReplyHeader = ProtocolFlags(rawValue: 0x000080)
    /// `SMFIP_NOUNKNOWN`: do not send unknown commands. Nick `no-unknown`.
    public static let noUnknown = ProtocolFlags(rawValue: 0x000100)
    /// `SMFIP_NODATA`: do not send DATA. Nick `no-data`.
    public static let noData = ProtocolFlags(rawValue: 0x000200)
    /// `SMFIP_SKIP`: the MTA understands `SMFIR_SKIP`. Nick `skip`.
    public static let skip = ProtocolFlags(rawValue: 0x000400)
    /// `SMFIP_RCPT_REJ`: also send rejected recipients. Nick `envelope-recipient-rejected`.
    public static let recipientRejected = ProtocolFlags(rawValue: 0x000800)
    /// `SMFIP_NR_CONN`: no reply to connect. Nick `no-reply-connect`.
    public static let noReplyConnect = ProtocolFlags(rawValue: 0x001000)
    /// `SMFIP_NR_HELO`: no reply to HELO. Nick `no-reply-helo`.
    public static let noReplyHelo = ProtocolFlags(rawValue: 0x002000)
    /// `SMFIP_NR_MAIL`: no reply to MAIL FROM. Nick `no-reply-envelope-from`.
    public static let noReplyMail = ProtocolFlags(rawValue: 0x004000)
    /// `SMFIP_NR_RCPT`: no reply to RCPT TO. Nick `no-reply-envelope-recipient`.
    public static let noReplyRecipient = ProtocolFlags(rawValue: 0x008000)
    /// `SMFIP_NR_DATA`: no reply to DATA. Nick `no-reply-data`.
    public static let noReplyData = ProtocolFlags(rawValue: 0x010000)
    /// `SMFIP_NR_UNKN`: no reply to unknown commands. Nick `no-reply-unknown`.
    public static let noReplyUnknown = ProtocolFlags(rawValue: 0x020000)
    /// `SMFIP_NR_EOH`: no reply to end of headers. Nick `no-reply-end-of-header`.
    public static let noReplyEndOfHeader = ProtocolFlags(rawValue: 0x040000)
    /// `SMFIP_NR_BODY`: no reply to body chunks. Nick `no-reply-body`.
    public static let noReplyBody = ProtocolFlags(rawValue: 0x080000)
    /// `SMFIP_HDR_LEADSPC`: header values keep their leading space.
    /// Nick `header-value-with-leading-space`.
    public static let headerValueWithLeadingSpace = ProtocolFlags(rawValue: 0x100000)

    /// The `NO_EVENT` class: flags that suppress a command.
    public static let noEventMask: ProtocolFlags = [
        .noConnect, .noHelo, .noMail, .noRecipient, .noBody, .noHeaders, .noEndOfHeader,
        .noUnknown, .noData,
    ]
    /// The `NO_REPLY` class: flags that suppress a reply.
    public static let noReplyMask: ProtocolFlags = [
        .noReplyHeader, .noReplyConnect, .noReplyHelo, .noReplyMail, .noReplyRecipient,
        .noReplyData, .noReplyUnknown, .noReplyEndOfHeader, .noReplyBody,
    ]
    /// `NO mask`: every flag of the NO_EVENT and NO_REPLY classes.
    public static let noMask: ProtocolFlags = noEventMask.union(noReplyMask)
    /// `YES mask`: capabilities the MTA offers and a milter may take.
    public static let yesMask: ProtocolFlags = [.skip, .recipientRejected, .headerValueWithLeadingSpace]
    /// Every step flag libmilter 8.14+ knows (0x1fffff).
    public static let all: ProtocolFlags = noMask.union(yesMask)

    /// The flags with their nick names, in bit order.
    public static let nicks: [(ProtocolFlags, String)] = [
        (.noConnect, "no-connect"), (.noHelo, "no-helo"), (.noMail, "no-envelope-from"),
        (.noRecipient, "no-envelope-recipient"), (.noBody, "no-body"), (.noHeaders, "no-headers"),
        (.noEndOfHeader, "no-end-of-header"), (.noReplyHeader, "no-reply-header"),
        (.noUnknown, "no-unknown"), (.noData, "no-data"), (.skip, "skip"),
        (.recipientRejected, "envelope-recipient-rejected"), (.noReplyConnect, "no-reply-connect"),
        (.noReplyHelo, "no-reply-helo"), (.noReplyMail, "no-reply-envelope-from"),
        (.noReplyRecipient, "no-reply-envelope-recipient"), (.noReplyData, "no-reply-data"),
        (.noReplyUnknown, "no-reply-unknown"), (.noReplyEndOfHeader, "no-reply-end-of-header"),
        (.noReplyBody, "no-reply-body"),
        (.headerValueWithLeadingSpace, "header-value-with-leading-space"),
    ]

    /// Nick names joined with `|` as the original prints them; unknown bits as hex.
    public var nickDescription: String {
        FlagNames.describe(rawValue, Self.nicks.map { ($0.0.rawValue, $0.1) })
    }
}
