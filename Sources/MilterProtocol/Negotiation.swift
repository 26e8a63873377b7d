import NIOCore

/// The option negotiation values: the MTA's `O` command and the milter's `O` reply.
public struct Negotiation: Hashable, Sendable {
    /// Protocol version (2...6 are understood).
    public var version: UInt32
    /// Action flags (`SMFIF_*`).
    public var actions: ActionFlags
    /// Step flags (`SMFIP_*`).
    public var steps: ProtocolFlags
    /// Macro requests per stage (replies only; the MTA's command never has them).
    public var macroRequests: [MacroRequest]

    /// A negotiation value.
    public init(
        version: UInt32 = Negotiation.maximumVersion, actions: ActionFlags = .all,
        steps: ProtocolFlags = .all, macroRequests: [MacroRequest] = []
    ) {
        self.version = version
        self.actions = actions
        self.steps = steps
        self.macroRequests = macroRequests
    }

    /// The highest protocol version this implementation speaks (6, `SMFI_PROT_VERSION`).
    public static let maximumVersion: UInt32 = 6
    /// The lowest protocol version this implementation speaks.
    public static let minimumVersion: UInt32 = 2

    /// The symbols requested for `stage`, or nil when the milter sent no list for it.
    public func requestedSymbols(for stage: MacroStage) -> [String]? {
        var found: [String]?
        for request in macroRequests where request.stage == stage {
            found = (found ?? []) + request.symbols
        }
        return found
    }

    func write(into buffer: inout ByteBuffer) {
        buffer.writeInteger(version, endianness: .big)
        buffer.writeInteger(actions.rawValue, endianness: .big)
        buffer.writeInteger(steps.rawValue, endianness: .big)
        for request in macroRequests {
            buffer.writeInteger(request.stage.rawValue, endianness: .big)
            buffer.writeMilterText(request.symbols.joined(separator: " "))
        }
    }

    static func readFixed(_ reader: inout PacketReader) throws -> Negotiation {
        let version = try reader.readUInt32("version")
        let actions = ActionFlags(rawValue: try reader.readUInt32("action flags"))
        let steps = ProtocolFlags(rawValue: try reader.readUInt32("protocol flags"))
        return Negotiation(version: version, actions: actions, steps: steps)
    }

    static func readMacroRequest(_ reader: inout PacketReader) throws -> MacroRequest {
        let stageOffset = reader.offset
        let rawStage = try reader.readUInt32("macro stage")
        guard let stage = MacroStage(rawValue: rawStage) else {
            throw MilterParseError(.invalidMacroStage(rawStage), code: reader.code, offset: stageOffset)
        }
        let list = try reader.readText("macro list")
        let symbols = list.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        if symbols.isEmpty { throw reader.error(.emptyMacroList) }
        return MacroRequest(stage: stage, symbols: symbols)
    }
}
