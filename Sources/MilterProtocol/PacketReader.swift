import NIOCore

/// Reads the fields of one packet's payload, tracking the offset for error messages.
/// Never traps: every read checks the remaining length first.
struct PacketReader {
    private(set) var buffer: ByteBuffer
    let code: UInt8
    private let start: Int

    init(code: UInt8, payload: ByteBuffer) {
        self.buffer = payload
        self.code = code
        self.start = payload.readerIndex
    }

    /// Offset of the next byte in the packet (the code byte is offset 0).
    var offset: Int { buffer.readerIndex - start + 1 }

    var isAtEnd: Bool { buffer.readableBytes == 0 }

    func error(_ kind: MilterParseError.Kind) -> MilterParseError {
        MilterParseError(kind, code: code, offset: offset)
    }

    mutating func readUInt32(_ field: String) throws -> UInt32 {
        guard let value = buffer.readInteger(endianness: .big, as: UInt32.self) else {
            throw error(.truncated(field: field))
        }
        return value
    }

    mutating func readUInt16(_ field: String) throws -> UInt16 {
        guard let value = buffer.readInteger(endianness: .big, as: UInt16.self) else {
            throw error(.truncated(field: field))
        }
        return value
    }

    mutating func readByte(_ field: String) throws -> UInt8 {
        guard let value = buffer.readInteger(as: UInt8.self) else {
            throw error(.truncated(field: field))
        }
        return value
    }

    /// A NUL-terminated string; the NUL is consumed.
    mutating func readString(_ field: String, nonEmpty: Bool = false) throws -> MilterString {
        let view = buffer.readableBytesView
        guard let nul = view.firstIndex(of: 0) else { throw error(.truncated(field: field)) }
        let bytes = Array(view[view.startIndex..<nul])
        if nonEmpty && bytes.isEmpty { throw error(.emptyString(field: field)) }
        buffer.moveReaderIndex(forwardBy: bytes.count + 1)
        return MilterString(bytes: bytes)
    }

    /// A NUL-terminated UTF-8 text (macro names, symbol lists, addresses); invalid UTF-8 is an
    /// error, so the text re-encodes to the same bytes.
    mutating func readText(_ field: String, nonEmpty: Bool = false) throws -> String {
        let start = offset
        let bytes = try readString(field, nonEmpty: nonEmpty).bytes
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw MilterParseError(.invalidText(field: field), code: code, offset: start)
        }
        return text
    }

    /// Every remaining NUL-terminated string.
    mutating func readRemainingStrings(_ field: String) throws -> [MilterString] {
        var strings: [MilterString] = []
        while !isAtEnd { strings.append(try readString(field)) }
        return strings
    }

    /// All remaining bytes.
    mutating func readRest() -> ByteBuffer {
        buffer.readSlice(length: buffer.readableBytes) ?? ByteBuffer()
    }

    func expectEnd() throws {
        if !isAtEnd { throw error(.trailingBytes(count: buffer.readableBytes)) }
    }
}

extension ByteBuffer {
    /// Writes `bytes` and a terminating NUL.
    @inlinable
    mutating func writeMilterString(_ string: MilterString) {
        writeBytes(string.bytes)
        writeInteger(UInt8(0))
    }

    /// Writes `text`'s UTF-8 and a terminating NUL (text is cut at a NUL, as a C reader would).
    @inlinable
    mutating func writeMilterText(_ text: String) {
        writeMilterString(MilterString(text))
    }
}
