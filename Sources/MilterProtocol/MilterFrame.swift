import NIOCore

/// One packet: its code byte and payload, without the length prefix.
public struct MilterFrame: Hashable, Sendable {
    /// The command or reply code.
    public var code: UInt8
    /// The bytes after the code.
    public var payload: ByteBuffer

    /// A frame.
    public init(code: UInt8, payload: ByteBuffer) {
        self.code = code
        self.payload = payload
    }

    /// The largest frame length (code byte plus payload) accepted by default: 1 MiB, the
    /// largest data size libmilter can negotiate (`SMFIP_MDS_1M`), so any legal peer fits,
    /// including one header of Postfix's 100 KiB `header_size_limit`.
    public static let defaultMaximumLength = 1 << 20

    /// The largest body or replace-body payload put in one packet (`MILTER_CHUNK_SIZE`).
    public static let chunkSize = 65535
}

/// Splits a byte stream into frames: 4-byte big-endian length, then that many bytes.
///
/// A zero length or one above `maximumLength` is rejected as soon as the 4 length bytes are
/// in, before any of the payload is buffered. After an error the handler drops the stream.
public struct MilterFrameDecoder: NIOSingleStepByteToMessageDecoder {
    /// Frames out.
    public typealias InboundOut = MilterFrame

    /// The largest accepted length (code byte plus payload).
    public let maximumLength: Int

    /// A decoder accepting frames up to `maximumLength` bytes.
    public init(maximumLength: Int = MilterFrame.defaultMaximumLength) {
        self.maximumLength = maximumLength
    }

    /// Returns the next frame, nil when more bytes are needed.
    public mutating func decode(buffer: inout ByteBuffer) throws(MilterParseError) -> MilterFrame? {
        guard let length = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self) else {
            return nil
        }
        if length == 0 { throw MilterParseError(.zeroLength, code: 0, offset: 0) }
        if UInt64(length) > UInt64(maximumLength) {
            throw MilterParseError(.frameTooLong(length: length, maximum: maximumLength), code: 0, offset: 0)
        }
        guard buffer.readableBytes >= 4 + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: 4)
        let code: UInt8 = buffer.readInteger()!
        let payload = buffer.readSlice(length: Int(length) - 1)!
        return MilterFrame(code: code, payload: payload)
    }

    /// At end of stream: a last complete frame, or an error when a frame was cut off.
    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws(MilterParseError) -> MilterFrame? {
        if let frame = try decode(buffer: &buffer) { return frame }
        guard buffer.readableBytes > 0 else { return nil }
        let needed: Int
        if let length = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self) {
            needed = 4 + Int(length) - buffer.readableBytes
        } else {
            needed = 4 - buffer.readableBytes
        }
        let code = buffer.readableBytes > 4 ? buffer.getInteger(at: buffer.readerIndex + 4, as: UInt8.self) ?? 0 : 0
        throw MilterParseError(.unexpectedEndOfStream(missing: needed), code: code, offset: buffer.readableBytes)
    }
}

/// Decodes commands from a byte stream (the milter side of a connection).
public struct MilterCommandDecoder: NIOSingleStepByteToMessageDecoder {
    /// Commands out.
    public typealias InboundOut = MilterCommand
    private var frames: MilterFrameDecoder

    /// A decoder accepting frames up to `maximumLength` bytes.
    public init(maximumLength: Int = MilterFrame.defaultMaximumLength) {
        frames = MilterFrameDecoder(maximumLength: maximumLength)
    }

    /// The next command, nil when more bytes are needed.
    public mutating func decode(buffer: inout ByteBuffer) throws(MilterParseError) -> MilterCommand? {
        guard let frame = try frames.decode(buffer: &buffer) else { return nil }
        return try MilterCommand(frame: frame)
    }

    /// The last command at end of stream.
    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws(MilterParseError) -> MilterCommand?
    {
        guard let frame = try frames.decodeLast(buffer: &buffer, seenEOF: seenEOF) else { return nil }
        return try MilterCommand(frame: frame)
    }
}

/// Decodes replies from a byte stream (the MTA side of a connection).
public struct MilterReplyDecoder: NIOSingleStepByteToMessageDecoder {
    /// Replies out.
    public typealias InboundOut = MilterReply
    private var frames: MilterFrameDecoder

    /// A decoder accepting frames up to `maximumLength` bytes.
    public init(maximumLength: Int = MilterFrame.defaultMaximumLength) {
        frames = MilterFrameDecoder(maximumLength: maximumLength)
    }

    /// The next reply, nil when more bytes are needed.
    public mutating func decode(buffer: inout ByteBuffer) throws(MilterParseError) -> MilterReply? {
        guard let frame = try frames.decode(buffer: &buffer) else { return nil }
        return try MilterReply(frame: frame)
    }

    /// The last reply at end of stream.
    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws(MilterParseError) -> MilterReply? {
        guard let frame = try frames.decodeLast(buffer: &buffer, seenEOF: seenEOF) else { return nil }
        return try MilterReply(frame: frame)
    }
}

/// Encodes commands for a channel pipeline (the MTA side of a connection).
public struct MilterCommandEncoder: MessageToByteEncoder {
    /// Commands in.
    public typealias OutboundIn = MilterCommand
    /// An encoder.
    public init() {}
    /// Writes one packet.
    public func encode(data: MilterCommand, out: inout ByteBuffer) {
        data.encode(into: &out)
    }
}

/// Encodes replies for a channel pipeline (the milter side of a connection).
public struct MilterReplyEncoder: MessageToByteEncoder {
    /// Replies in.
    public typealias OutboundIn = MilterReply
    /// An encoder.
    public init() {}
    /// Writes one packet.
    public func encode(data: MilterReply, out: inout ByteBuffer) {
        data.encode(into: &out)
    }
}
