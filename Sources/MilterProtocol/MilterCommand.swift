import NIOCore

/// A packet the MTA sends to a milter (and the manager sends to each child).
public enum MilterCommand: Hashable, Sendable {
    /// `O`: option negotiation (exactly 12 payload bytes).
    case negotiate(Negotiation)
    /// `D`: macros for the stage named by a command code.
    case macro(stage: MilterCommandCode, macros: [Macro])
    /// `C`: the SMTP client's host name and address.
    case connect(hostname: MilterString, address: ConnectAddress)
    /// `H`: the HELO/EHLO argument.
    case helo(MilterString)
    /// `M`: the envelope sender and its ESMTP arguments.
    case mail(sender: MilterString, arguments: [MilterString])
    /// `R`: one envelope recipient and its ESMTP arguments.
    case recipient(MilterString, arguments: [MilterString])
    /// `T`: DATA (protocol version 4 and later).
    case data
    /// `L`: one header, name and value.
    case header(name: MilterString, value: MilterString)
    /// `N`: end of headers.
    case endOfHeader
    /// `B`: a body chunk.
    case body(ByteBuffer)
    /// `E`: end of message, with an optional last body chunk (empty when none).
    case endOfMessage(ByteBuffer)
    /// `A`: abort the current message.
    case abort
    /// `Q`: quit.
    case quit
    /// `K`: quit this session; a new one starts on the same connection.
    case quitNewConnection
    /// `U`: an unknown SMTP command, as text.
    case unknown(MilterString)

    /// The code byte of this command.
    public var code: MilterCommandCode {
        switch self {
        case .negotiate: return .negotiate
        case .macro: return .macro
        case .connect: return .connect
        case .helo: return .helo
        case .mail: return .mail
        case .recipient: return .recipient
        case .data: return .data
        case .header: return .header
        case .endOfHeader: return .endOfHeader
        case .body: return .body
        case .endOfMessage: return .endOfMessage
        case .abort: return .abort
        case .quit: return .quit
        case .quitNewConnection: return .quitNewConnection
        case .unknown: return .unknown
        }
    }

    /// Appends the whole packet (length, code, payload) to `buffer`.
    public func encode(into buffer: inout ByteBuffer) {
        let lengthIndex = buffer.writerIndex
        buffer.writeInteger(UInt32(0), endianness: .big)
        buffer.writeInteger(code.rawValue)
        switch self {
        case .negotiate(let negotiation):
            var fixed = negotiation
            fixed.macroRequests = []
            fixed.write(into: &buffer)
        case .macro(let stage, let macros):
            buffer.writeInteger(stage.rawValue)
            for macro in macros {
                buffer.writeMilterText(macro.wireName)
                buffer.writeMilterString(macro.value)
            }
        case .connect(let hostname, let address):
            buffer.writeMilterString(hostname)
            address.write(into: &buffer)
        case .helo(let name):
            buffer.writeMilterString(name)
        case .mail(let sender, let arguments):
            buffer.writeMilterString(sender)
            for argument in arguments { buffer.writeMilterString(argument) }
        case .recipient(let recipient, let arguments):
            buffer.writeMilterString(recipient)
            for argument in arguments { buffer.writeMilterString(argument) }
        case .header(let name, let value):
            buffer.writeMilterString(name)
            buffer.writeMilterString(value)
        case .body(let chunk), .endOfMessage(let chunk):
            var chunk = chunk
            buffer.writeBuffer(&chunk)
        case .unknown(let command):
            buffer.writeMilterString(command)
        case .data, .endOfHeader, .abort, .quit, .quitNewConnection:
            break
        }
        buffer.setInteger(UInt32(buffer.writerIndex - lengthIndex - 4), at: lengthIndex, endianness: .big)
    }

    /// Reads a command from one frame.
    public init(frame: MilterFrame) throws(MilterParseError) {
        do {
            self = try Self.parse(frame)
        } catch let error as MilterParseError {
            throw error
        } catch {
            throw MilterParseError(.unknownCode, code: frame.code, offset: 0)
        }
    }

    private static func parse(_ frame: MilterFrame) throws -> MilterCommand {
        guard let code = MilterCommandCode(rawValue: frame.code) else {
            throw MilterParseError(.unknownCode, code: frame.code, offset: 0)
        }
        var reader = PacketReader(code: frame.code, payload: frame.payload)
        let command: MilterCommand
        switch code {
        case .negotiate:
            command = .negotiate(try Negotiation.readFixed(&reader))
        case .macro:
            let stageOffset = reader.offset
            let stageByte = try reader.readByte("macro context")
            guard let stage = MilterCommandCode(rawValue: stageByte), stage.isMacroStage else {
                throw MilterParseError(.invalidMacroContext(stageByte), code: frame.code, offset: stageOffset)
            }
            var macros: [Macro] = []
            while !reader.isAtEnd {
                let name = try reader.readText("macro name", nonEmpty: true)
                let value = try reader.readString("macro value")
                macros.append(Macro(name: name, value: value))
            }
            command = .macro(stage: stage, macros: macros)
        case .connect:
            let hostname = try reader.readString("host name", nonEmpty: true)
            command = .connect(hostname: hostname, address: try ConnectAddress.read(&reader))
        case .helo:
            command = .helo(try reader.readString("HELO name", nonEmpty: true))
        case .mail:
            let sender = try reader.readString("envelope sender", nonEmpty: true)
            command = .mail(sender: sender, arguments: try reader.readRemainingStrings("ESMTP argument"))
        case .recipient:
            let recipient = try reader.readString("envelope recipient", nonEmpty: true)
            command = .recipient(recipient, arguments: try reader.readRemainingStrings("ESMTP argument"))
        case .header:
            let name = try reader.readString("header name", nonEmpty: true)
            command = .header(name: name, value: try reader.readString("header value"))
        case .body:
            command = .body(reader.readRest())
        case .endOfMessage:
            command = .endOfMessage(reader.readRest())
        case .unknown:
            command = .unknown(try reader.readString("unknown command"))
        case .data: command = .data
        case .endOfHeader: command = .endOfHeader
        case .abort: command = .abort
        case .quit: command = .quit
        case .quitNewConnection: command = .quitNewConnection
        }
        try reader.expectEnd()
        return command
    }
}
