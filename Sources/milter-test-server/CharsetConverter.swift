#if canImport(Glibc)
    import Glibc
#endif
import MilterProtocol

/// Converts a body from the charset named in `Content-Type` to UTF-8 (iconv), for printing.
enum CharsetConverter {
    /// Why a body could not be converted.
    enum ConversionError: Error, CustomStringConvertible {
        /// iconv does not know the charset.
        case unsupportedCharset(String)
        /// The body is not valid in the charset.
        case invalidInput(charset: String)

        /// The message printed in the `Error:` block.
        var description: String {
            switch self {
            case .unsupportedCharset(let charset):
                return "Conversion from character set '\(charset)' to 'UTF-8' is not supported"
            case .invalidInput(let charset): return "Invalid byte sequence in conversion input (\(charset))"
            }
        }
    }

    /// The `charset=` parameter of a `Content-Type` value (quotes removed), if any.
    static func charset(ofContentType value: MilterString) -> String? {
        let bytes = value.bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        let key = Array("charset=".utf8)
        guard bytes.count >= key.count,
            let start = (0...(bytes.count - key.count)).first(where: { bytes[$0..<($0 + key.count)].elementsEqual(key) }
            )
        else { return nil }
        var rest = value.bytes[(start + key.count)...]
        if let quote = rest.first, quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
            rest = rest.dropFirst()
            guard let end = rest.firstIndex(of: quote) else { return nil }
            return String(decoding: rest[..<end], as: UTF8.self)
        }
        if let end = rest.firstIndex(of: UInt8(ascii: ";")) { rest = rest[..<end] }
        let blank: (UInt8) -> Bool = { $0 == 32 || $0 == 9 || $0 == 10 || $0 == 13 }
        while let last = rest.last, blank(last) { rest = rest.dropLast() }
        return rest.isEmpty ? nil : String(decoding: rest, as: UTF8.self)
    }

    /// `bytes` in `charset`, as UTF-8.
    static func toUTF8(_ bytes: [UInt8], from charset: String) throws(ConversionError) -> [UInt8] {
        let normalized = charset.lowercased()
        if normalized == "utf-8" || normalized == "utf8" || normalized == "us-ascii" { return bytes }
        guard let converter = iconv_open("UTF-8", charset), converter != iconv_t(bitPattern: -1) else {
            throw .unsupportedCharset(charset)
        }
        defer { iconv_close(converter) }
        var input = bytes.map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: bytes.count * 4 + 16)
        let produced: Int = input.withUnsafeMutableBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                var inPointer = inputBuffer.baseAddress
                var inLeft = inputBuffer.count
                var outPointer = outputBuffer.baseAddress
                var outLeft = outputBuffer.count
                let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                return result == -1 ? -1 : outputBuffer.count - outLeft
            }
        }
        guard produced >= 0 else {
            throw .invalidInput(charset: charset)
        }
        return output.prefix(produced).map { UInt8(bitPattern: $0) }
    }
}
