import NIOCore

/// A change to the message a milter asks for at end-of-message.
public enum MessageModification: Hashable, Sendable {
    /// `h`: add a header (Sendmail: before the first header of the same name, else at the end).
    case addHeader(name: MilterString, value: MilterString)
    /// `i`: insert a header at a 0-based position.
    case insertHeader(index: UInt32, name: MilterString, value: MilterString)
    /// `m`: change the `index`-th (1-based) header called `name`; an empty value deletes it.
    case changeHeader(index: UInt32, name: MilterString, value: MilterString)
    /// `e`: change the envelope sender, with optional ESMTP parameters.
    case changeFrom(sender: MilterString, parameters: MilterString?)
    /// `+` (no parameters) or `2` (with parameters): add a recipient.
    case addRecipient(MilterString, parameters: MilterString?)
    /// `-`: delete a recipient.
    case deleteRecipient(MilterString)
    /// `b`: one chunk of the replacement body (several chunks concatenate).
    case replaceBody(ByteBuffer)

    /// The action flag the milter must have negotiated for this change.
    public var requiredAction: ActionFlags {
        switch self {
        case .addHeader, .insertHeader: return .addHeaders
        case .changeHeader: return .changeHeaders
        case .changeFrom: return .changeFrom
        case .addRecipient(_, let parameters): return parameters == nil ? .addRecipient : .addRecipientWithParameters
        case .deleteRecipient: return .deleteRecipient
        case .replaceBody: return .changeBody
        }
    }

    /// The reply code byte of this change.
    public var code: MilterReplyCode {
        switch self {
        case .addHeader: return .addHeader
        case .insertHeader: return .insertHeader
        case .changeHeader: return .changeHeader
        case .changeFrom: return .changeFrom
        case .addRecipient(_, let parameters): return parameters == nil ? .addRecipient : .addRecipientWithParameters
        case .deleteRecipient: return .deleteRecipient
        case .replaceBody: return .replaceBody
        }
    }

    func writePayload(into buffer: inout ByteBuffer) {
        switch self {
        case .addHeader(let name, let value):
            buffer.writeMilterString(name)
            buffer.writeMilterString(value)
        case .insertHeader(let index, let name, let value), .changeHeader(let index, let name, let value):
            buffer.writeInteger(index, endianness: .big)
            buffer.writeMilterString(name)
            buffer.writeMilterString(value)
        case .changeFrom(let sender, let parameters):
            buffer.writeMilterString(sender)
            if let parameters { buffer.writeMilterString(parameters) }
        case .addRecipient(let recipient, let parameters):
            buffer.writeMilterString(recipient)
            if let parameters { buffer.writeMilterString(parameters) }
        case .deleteRecipient(let recipient):
            buffer.writeMilterString(recipient)
        case .replaceBody(let chunk):
            var chunk = chunk
            buffer.writeBuffer(&chunk)
        }
    }

    static func read(_ code: MilterReplyCode, _ reader: inout PacketReader) throws -> MessageModification? {
        switch code {
        case .addHeader:
            let name = try reader.readString("header name", nonEmpty: true)
            return .addHeader(name: name, value: try reader.readString("header value"))
        case .insertHeader:
            let index = try reader.readUInt32("header index")
            let name = try reader.readString("header name", nonEmpty: true)
            return .insertHeader(index: index, name: name, value: try reader.readString("header value"))
        case .changeHeader:
            let index = try reader.readUInt32("header index")
            let name = try reader.readString("header name", nonEmpty: true)
            return .changeHeader(index: index, name: name, value: try reader.readString("header value"))
        case .changeFrom:
            let sender = try reader.readString("envelope sender", nonEmpty: true)
            return .changeFrom(sender: sender, parameters: reader.isAtEnd ? nil : try reader.readString("parameters"))
        case .addRecipient:
            return .addRecipient(try reader.readString("envelope recipient", nonEmpty: true), parameters: nil)
        case .addRecipientWithParameters:
            let recipient = try reader.readString("envelope recipient", nonEmpty: true)
            return .addRecipient(recipient, parameters: try reader.readString("parameters"))
        case .deleteRecipient:
            return .deleteRecipient(try reader.readString("envelope recipient", nonEmpty: true))
        case .replaceBody:
            return .replaceBody(reader.readRest())
        case .shutdown, .negotiate, .accept, .continue, .discard, .connectionFailure, .setSymbolList,
            .progress, .quarantine, .reject, .skip, .temporaryFailure, .replyCode:
            return nil
        }
    }
}
