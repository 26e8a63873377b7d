/// Why a packet could not be read. Carries the packet's code byte and the offset of the problem
/// (0 is the code byte, 1 the first payload byte) so logs can name the exact spot.
public struct MilterParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public enum Kind: Hashable, Sendable {
        /// The length prefix is 0: a packet needs at least its code byte.
        case zeroLength
        /// The length prefix exceeds the configured maximum.
        case frameTooLong(length: UInt32, maximum: Int)
        /// The code byte is not a known command or reply.
        case unknownCode
        /// The payload ended inside a fixed-size field or without a string's NUL.
        case truncated(field: String)
        /// A name or list that must be UTF-8 text was not.
        case invalidText(field: String)
        /// A string that must not be empty was empty.
        case emptyString(field: String)
        /// Bytes left after the last field of a fixed layout.
        case trailingBytes(count: Int)
        /// A `D` packet named a stage code that carries no macros.
        case invalidMacroContext(UInt8)
        /// A negotiation reply named a macro stage outside 0...6.
        case invalidMacroStage(UInt32)
        /// A macro request with no symbols.
        case emptyMacroList
        /// The connect address family is not `4`, `6`, `L` or `U`.
        case invalidAddressFamily(UInt8)
        /// The connect address is not an address of its family.
        case invalidAddress(String)
        /// A `y` reply that does not start with a 4xx or 5xx code.
        case invalidReplyCode(String)
        /// The stream ended inside a packet.
        case unexpectedEndOfStream(missing: Int)
    }

    /// What is wrong.
    public var kind: Kind
    /// The packet's code byte (0 when the length itself is bad and no code was read).
    public var code: UInt8
    /// Offset of the problem in the packet, counting the code byte as 0.
    public var offset: Int

    /// A parse error.
    public init(_ kind: Kind, code: UInt8, offset: Int) {
        self.kind = kind
        self.code = code
        self.offset = offset
    }

    /// One line for logs, e.g. `packet 'C' at offset 12: invalid address "1.2.3"`.
    public var description: String {
        let where_ = code == 0 ? "packet" : "packet '\(Self.printable(code))'"
        return "\(where_) at offset \(offset): \(reason)"
    }

    private var reason: String {
        switch kind {
        case .zeroLength: return "length 0 (a packet needs at least its code)"
        case .frameTooLong(let length, let maximum): return "length \(length) exceeds the maximum \(maximum)"
        case .unknownCode: return "unknown code"
        case .truncated(let field): return "truncated in \(field)"
        case .emptyString(let field): return "empty \(field)"
        case .invalidText(let field): return "\(field) is not UTF-8 text"
        case .trailingBytes(let count): return "\(count) unexpected trailing byte(s)"
        case .invalidMacroContext(let byte): return "unknown macro context '\(Self.printable(byte))'"
        case .invalidMacroStage(let stage): return "unexpected macro stage \(stage)"
        case .emptyMacroList: return "empty macro list"
        case .invalidAddressFamily(let byte): return "unknown address family '\(Self.printable(byte))'"
        case .invalidAddress(let text): return "invalid address \"\(text)\""
        case .invalidReplyCode(let text): return "SMTP reply code <\(text)> should be 4XX or 5XX"
        case .unexpectedEndOfStream(let missing): return "stream ended, \(missing) more byte(s) needed"
        }
    }

    static func printable(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? String(Character(Unicode.Scalar(byte))) : "\\x" + String(byte, radix: 16)
    }
}
