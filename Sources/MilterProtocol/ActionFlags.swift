/// What a milter may do to a message, negotiated in `O` (`SMFIF_*`).
public struct ActionFlags: OptionSet, Hashable, Sendable {
    /// The bits as on the wire; unknown bits are kept.
    public var rawValue: UInt32

    /// Wraps wire bits.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `SMFIF_ADDHDRS`: add (and insert) headers. Nick `add-headers`.
    public static let addHeaders = ActionFlags(rawValue: 0x001)
    /// `SMFIF_CHGBODY`: replace the body. Nick `change-body`.
    public static let changeBody = ActionFlags(rawValue: 0x002)
    /// `SMFIF_ADDRCPT`: add recipients. Nick `add-envelope-recipient`.
    public static let addRecipient = ActionFlags(rawValue: 0x004)
    /// `SMFIF_DELRCPT`: delete recipients. Nick `delete-envelope-recipient`.
    public static let deleteRecipient = ActionFlags(rawValue: 0x008)
    /// `SMFIF_CHGHDRS`: change or delete headers. Nick `change-headers`.
    public static let changeHeaders = ActionFlags(rawValue: 0x010)
    /// `SMFIF_QUARANTINE`: quarantine the message. Nick `quarantine`.
    public static let quarantine = ActionFlags(rawValue: 0x020)
    /// `SMFIF_CHGFROM`: change the envelope sender. Nick `change-envelope-from`.
    public static let changeFrom = ActionFlags(rawValue: 0x040)
    /// `SMFIF_ADDRCPT_PAR`: add recipients with ESMTP parameters.
    /// Nick `add-envelope-recipient-with-parameters`.
    public static let addRecipientWithParameters = ActionFlags(rawValue: 0x080)
    /// `SMFIF_SETSYMLIST`: ask for macro lists. Nick `set-symbol-list`.
    public static let setSymbolList = ActionFlags(rawValue: 0x100)

    /// Every action libmilter 8.14+ knows (0x1ff).
    public static let all: ActionFlags = [
        .addHeaders, .changeBody, .addRecipient, .deleteRecipient, .changeHeaders, .quarantine,
        .changeFrom, .addRecipientWithParameters, .setSymbolList,
    ]

    /// The flags with their nick names, in bit order.
    public static let nicks: [(ActionFlags, String)] = [
        (.addHeaders, "add-headers"), (.changeBody, "change-body"),
        (.addRecipient, "add-envelope-recipient"), (.deleteRecipient, "delete-envelope-recipient"),
        (.changeHeaders, "change-headers"), (.quarantine, "quarantine"),
        (.changeFrom, "change-envelope-from"),
        (.addRecipientWithParameters, "add-envelope-recipient-with-parameters"),
        (.setSymbolList, "set-symbol-list"),
    ]

    /// Nick names joined with `|` as the original prints them; unknown bits as hex.
    public var nickDescription: String {
        FlagNames.describe(rawValue, Self.nicks.map { ($0.0.rawValue, $0.1) })
    }
}

/// Formatting shared by the flag sets.
enum FlagNames {
    static func describe(_ raw: UInt32, _ table: [(UInt32, String)]) -> String {
        var names: [String] = []
        var rest = raw
        for (bit, name) in table where raw & bit != 0 {
            names.append(name)
            rest &= ~bit
        }
        if rest != 0 { names.append("0x" + String(rest, radix: 16)) }
        return names.joined(separator: "|")
    }
}
