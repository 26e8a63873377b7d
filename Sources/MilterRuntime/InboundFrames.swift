import NIOCore

/// The bytes a connection has received but not yet decoded, and the decoder that cuts them
/// into packets. The channel handlers decode in place (no `ByteToMessageHandler` in front of
/// them, so no pipeline hop and no boxing of every packet in `NIOAny`).
struct InboundFrames<Decoder: NIOSingleStepByteToMessageDecoder> {
    private var decoder: Decoder
    private var pending: ByteBuffer?

    /// Frames cut by `decoder`.
    init(_ decoder: Decoder) {
        self.decoder = decoder
    }

    /// Whether bytes of an incomplete packet are held.
    var hasPartialPacket: Bool { (pending?.readableBytes ?? 0) > 0 }

    /// Adds bytes read from the connection.
    mutating func add(_ buffer: ByteBuffer) {
        if var held = pending, held.readableBytes > 0 {
            var incoming = buffer
            held.writeBuffer(&incoming)
            pending = held
        } else {
            pending = buffer
        }
    }

    /// The next complete packet, nil when more bytes are needed.
    mutating func next() throws -> Decoder.InboundOut? {
        guard var buffer = pending else { return nil }
        pending = nil
        defer { pending = buffer.readableBytes > 0 ? buffer : nil }
        return try decoder.decode(buffer: &buffer)
    }

    /// At end of stream: throws when the bytes held are a packet cut off.
    mutating func finish() throws {
        guard var buffer = pending else { return }
        pending = nil
        while try decoder.decodeLast(buffer: &buffer, seenEOF: true) != nil {}
    }

    /// Drops what is held (after an error nothing more is decoded).
    mutating func discard() {
        pending = nil
    }
}
