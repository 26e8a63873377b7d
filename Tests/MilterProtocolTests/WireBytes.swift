import NIOCore

/// Builds expected wire bytes by hand, independent of the encoders under test.
enum Wire {
    /// A piece of a packet payload.
    enum Part {
        case text(String)  // bytes as written, no NUL added
        case cstring(String)  // UTF-8 plus NUL
        case raw([UInt8])
        case u16(UInt16)
        case u32(UInt32)
    }

    /// A whole packet: 4-byte big-endian length, the code character, the parts.
    static func packet(_ code: Character, _ parts: Part...) -> [UInt8] {
        var payload: [UInt8] = [code.asciiValue!]
        for part in parts {
            switch part {
            case .text(let text): payload += Array(text.utf8)
            case .cstring(let text): payload += Array(text.utf8) + [0]
            case .raw(let bytes): payload += bytes
            case .u16(let value): payload += [UInt8(value >> 8), UInt8(value & 0xff)]
            case .u32(let value):
                payload += [
                    UInt8(value >> 24), UInt8((value >> 16) & 0xff), UInt8((value >> 8) & 0xff), UInt8(value & 0xff),
                ]
            }
        }
        let n = UInt32(payload.count)
        return [UInt8(n >> 24), UInt8((n >> 16) & 0xff), UInt8((n >> 8) & 0xff), UInt8(n & 0xff)] + payload
    }

    /// Bytes from a hex string with optional spaces: "00 00 00 01 63".
    static func hex(_ text: String) -> [UInt8] {
        let digits = text.filter { !$0.isWhitespace }
        var bytes: [UInt8] = []
        var index = digits.startIndex
        while index < digits.endIndex {
            let next = digits.index(index, offsetBy: 2)
            bytes.append(UInt8(digits[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }

    static func buffer(_ bytes: [UInt8]) -> ByteBuffer { ByteBuffer(bytes: bytes) }
}
