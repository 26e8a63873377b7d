import NIOCore

/// A packet a milter sends back (and a child sends to the manager).
public enum MilterReply: Hashable, Sendable {
    /// `O`: the milter's negotiation answer, with optional macro requests.
    case negotiate(Negotiation)
    /// `c`: go on.
    case `continue`
    /// `a`: accept; no more callbacks for this message (or connection).
    case accept
    /// `r`: reject.
    case reject
    /// `t`: temporary failure.
    case temporaryFailure
    /// `d`: discard the message silently.
    case discard
    /// `s`: skip the rest of the body.
    case skip
    /// `p`: still working (end-of-message only).
    case progress
    /// `f`: cause a connection failure.
    case connectionFailure
    /// `4`: the milter is shutting down.
    case shutdown
    /// `y`: reject (5xx) or tempfail (4xx) with this SMTP reply.
    case replyCode(SMTPReply)
    /// `q`: quarantine the message with this reason (end-of-message only).
    case quarantine(reason: MilterString)
    /// `l`: the macros wanted at one stage (normally carried inside `O`).
    case setSymbolList(MacroRequest)
    /// A message change (end-of-message only).
    case modification(MessageModification)

    /// The code byte of this reply.
    public var code: MilterReplyCode {
        switch self {
        case .negotiate: return .negotiate
        case .continue: return .continue
        case .accept: return .accept
        case .reject: return .reject
        case .temporaryFailure: return .temporaryFailure
        case .discard: return .discard
        case .skip: return .skip
        case .progress: return .progress
        case .connectionFailure: return .connectionFailure
        case .shutdown: return .shutdown
        case .replyCode: return .replyCode
        case .quarantine: return .quarantine
        case .setSymbolList: return .setSymbolList
        case .modification(let modification): return modification.code
        }
    }

    /// Appends the whole packet (length, code, payload) to `buffer`.
    public func encode(into buffer: inout ByteBuffer) {
        let lengthIndex = buffer.writerIndex
        buffer.writeInteger(UInt32(0), endianness: .big)
        buffer.writeInteger(code.rawValue)
        switch self {
        case .negotiate(let negotiation):
            negotiation.write(into: &buffer)
        case .replyCode(let reply):
            buffer.writeMilterString(reply.text)
        case .quarantine(let reason):
            buffer.writeMilterString(reason)
        case .setSymbolList(let request):
            buffer.writeInteger(request.stage.rawValue, endianness: .big)
            buffer.writeMilterText(request.symbols.joined(separator: " "))
        case .modification(let modification):
            modification.writePayload(into: &buffer)
        case .continue, .accept, .reject, .temporaryFailure, .discard, .skip, .progress,
            .connectionFailure, .shutdown:
            break
        }
        buffer.setInteger(UInt32(buffer.writerIndex - lengthIndex - 4), at: lengthIndex, endianness: .big)
    }

    /// Reads a reply from one frame.
    public init(frame: MilterFrame) throws(MilterParseError) {
        do {
            self = try Self.parse(frame)
        } catch let error as MilterParseError {
            throw error
        } catch {
            throw MilterParseError(.unknownCode, code: frame.code, offset: 0)
        }
    }

    private static func parse(_ frame: MilterFrame) throws -> MilterReply {
        guard let code = MilterReplyCode(rawValue: frame.code) else {
            throw MilterParseError(.unknownCode, code: frame.code, offset: 0)
        }
        var reader = PacketReader(code: frame.code, payload: frame.payload)
        let reply: MilterReply
        switch code {
        case .negotiate:
            var negotiation = try Negotiation.readFixed(&reader)
            while !reader.isAtEnd {
                negotiation.macroRequests.append(try Negotiation.readMacroRequest(&reader))
            }
            reply = .negotiate(negotiation)
        case .continue: reply = .continue
        case .accept: reply = .accept
        case .reject: reply = .reject
        case .temporaryFailure: reply = .temporaryFailure
        case .discard: reply = .discard
        case .skip: reply = .skip
        case .progress: reply = .progress
        case .connectionFailure: reply = .connectionFailure
        case .shutdown: reply = .shutdown
        case .replyCode:
            let textOffset = reader.offset
            let text = try reader.readString("reply text", nonEmpty: true)
            do {
                reply = .replyCode(try SMTPReply(validating: text))
            } catch {
                throw MilterParseError(
                    .invalidReplyCode(String(text.string.prefix(3))), code: frame.code, offset: textOffset)
            }
        case .quarantine:
            reply = .quarantine(reason: try reader.readString("quarantine reason", nonEmpty: true))
        case .setSymbolList:
            reply = .setSymbolList(try Negotiation.readMacroRequest(&reader))
        case .addHeader, .insertHeader, .changeHeader, .changeFrom, .addRecipient,
            .addRecipientWithParameters, .deleteRecipient, .replaceBody:
            guard let modification = try MessageModification.read(code, &reader) else {
                throw MilterParseError(.unknownCode, code: frame.code, offset: 0)
            }
            reply = .modification(modification)
        }
        try reader.expectEnd()
        return reply
    }
}
