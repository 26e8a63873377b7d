/// The stage a macro request in the negotiation reply applies to (`SMFIM_*`, a u32 on the wire).
public enum MacroStage: UInt32, Sendable, CaseIterable, Comparable {
    /// `SMFIM_CONNECT` (0).
    case connect = 0
    /// `SMFIM_HELO` (1).
    case helo = 1
    /// `SMFIM_ENVFROM` (2).
    case envelopeFrom = 2
    /// `SMFIM_ENVRCPT` (3).
    case envelopeRecipient = 3
    /// `SMFIM_DATA` (4).
    case data = 4
    /// `SMFIM_EOM` (5).
    case endOfMessage = 5
    /// `SMFIM_EOH` (6).
    case endOfHeader = 6

    /// The command whose `D` packet carries this stage's macros.
    public var commandCode: MilterCommandCode {
        switch self {
        case .connect: return .connect
        case .helo: return .helo
        case .envelopeFrom: return .mail
        case .envelopeRecipient: return .recipient
        case .data: return .data
        case .endOfMessage: return .endOfMessage
        case .endOfHeader: return .endOfHeader
        }
    }

    /// The stage for a command code, if that command has one.
    public init?(command: MilterCommandCode) {
        switch command {
        case .connect: self = .connect
        case .helo: self = .helo
        case .mail: self = .envelopeFrom
        case .recipient: self = .envelopeRecipient
        case .data: self = .data
        case .endOfMessage: self = .endOfMessage
        case .endOfHeader: self = .endOfHeader
        case .abort, .body, .macro, .quitNewConnection, .header, .negotiate, .quit, .unknown:
            return nil
        }
    }

    /// Ordered by wire value.
    public static func < (lhs: MacroStage, rhs: MacroStage) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The macros one milter asks for at one stage (an entry of the `O` reply, or an `l` packet).
public struct MacroRequest: Hashable, Sendable {
    /// The stage.
    public var stage: MacroStage
    /// Macro names as written by the milter, e.g. `{auth_type}` or `i`.
    public var symbols: [String]

    /// A request for `symbols` at `stage`.
    public init(stage: MacroStage, symbols: [String]) {
        self.stage = stage
        self.symbols = symbols
    }
}

/// One macro definition of a `D` packet.
public struct Macro: Hashable, Sendable {
    /// The name without braces: `{daemon_name}` on the wire is `daemon_name` here, `j` is `j`.
    public var name: String
    /// The value (may be empty).
    public var value: MilterString

    /// A macro; braces around `name` are removed.
    public init(name: String, value: MilterString) {
        self.name = Macro.normalizedName(name)
        self.value = value
    }

    /// `{x}` becomes `x`; anything else is unchanged. Bytes, not characters, are dropped: a
    /// combining mark after `{` forms one character with it.
    public static func normalizedName(_ name: String) -> String {
        let utf8 = name.utf8
        if utf8.count >= 2, utf8.first == UInt8(ascii: "{"), utf8.last == UInt8(ascii: "}") {
            return String(decoding: utf8.dropFirst().dropLast(), as: UTF8.self)
        }
        return name
    }

    /// The name as sent on the wire: one-character names bare, longer ones in braces.
    public var wireName: String { name.utf8.count == 1 ? name : "{" + name + "}" }
}
