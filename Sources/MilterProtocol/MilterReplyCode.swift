/// The one-byte code that starts every packet a milter sends back (`SMFIR_*`, and `O`).
public enum MilterReplyCode: UInt8, Sendable, CaseIterable {
    /// `SMFIR_SHUTDOWN` ('4'): the milter is shutting down.
    case shutdown = 0x34
    /// `SMFIR_ADDRCPT` ('+'): add a recipient.
    case addRecipient = 0x2B
    /// `SMFIR_DELRCPT` ('-'): delete a recipient.
    case deleteRecipient = 0x2D
    /// `SMFIR_ADDRCPT_PAR` ('2'): add a recipient with ESMTP parameters.
    case addRecipientWithParameters = 0x32
    /// Negotiation reply ('O').
    case negotiate = 0x4F
    /// `SMFIR_ACCEPT` ('a').
    case accept = 0x61
    /// `SMFIR_REPLBODY` ('b'): a chunk of the replacement body.
    case replaceBody = 0x62
    /// `SMFIR_CONTINUE` ('c').
    case `continue` = 0x63
    /// `SMFIR_DISCARD` ('d').
    case discard = 0x64
    /// `SMFIR_CHGFROM` ('e'): change the envelope sender.
    case changeFrom = 0x65
    /// `SMFIR_CONN_FAIL` ('f'): cause a connection failure.
    case connectionFailure = 0x66
    /// `SMFIR_ADDHEADER` ('h').
    case addHeader = 0x68
    /// `SMFIR_INSHEADER` ('i').
    case insertHeader = 0x69
    /// `SMFIR_SETSYMLIST` ('l'): macros wanted for one stage.
    case setSymbolList = 0x6C
    /// `SMFIR_CHGHEADER` ('m'); an empty value deletes the header.
    case changeHeader = 0x6D
    /// `SMFIR_PROGRESS` ('p'): still working, restart the timer.
    case progress = 0x70
    /// `SMFIR_QUARANTINE` ('q').
    case quarantine = 0x71
    /// `SMFIR_REJECT` ('r').
    case reject = 0x72
    /// `SMFIR_SKIP` ('s'): skip the rest of the body.
    case skip = 0x73
    /// `SMFIR_TEMPFAIL` ('t').
    case temporaryFailure = 0x74
    /// `SMFIR_REPLYCODE` ('y'): reject or tempfail with an SMTP reply text.
    case replyCode = 0x79

    /// The code as a printable character, for messages.
    public var character: Character { Character(Unicode.Scalar(rawValue)) }
}
