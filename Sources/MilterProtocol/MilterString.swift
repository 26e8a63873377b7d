/// A NUL-free byte string as the milter protocol carries it (header names and values, addresses,
/// host names, macro values, reply texts).
///
/// The protocol is byte-oriented: a header value may hold 8-bit bytes that are not UTF-8, and a
/// proxy must forward them unchanged (a re-encoded header breaks DKIM signatures). So the bytes
/// are the value; `string` is a lossy view for logging and matching.
public struct MilterString: Hashable, Sendable, Comparable {
    /// The raw bytes, without the terminating NUL.
    public var bytes: [UInt8]

    /// Wraps raw bytes. Bytes from the first NUL on are dropped, as a C reader would see them.
    public init<S: Sequence>(bytes: S) where S.Element == UInt8 {
        var collected: [UInt8] = []
        collected.reserveCapacity(bytes.underestimatedCount)
        for byte in bytes {
            if byte == 0 { break }
            collected.append(byte)
        }
        self.bytes = collected
    }

    /// The UTF-8 bytes of `string`, cut at the first NUL.
    public init(_ string: String) {
        self.init(bytes: string.utf8)
    }

    /// The empty string.
    public static let empty = MilterString(bytes: [UInt8]())

    /// The bytes decoded as UTF-8, invalid sequences replaced by U+FFFD. For display and matching.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// True when there are no bytes.
    public var isEmpty: Bool { bytes.isEmpty }

    /// Number of bytes.
    public var count: Int { bytes.count }

    /// ASCII case-insensitive equality (header names, macro names).
    public func caseInsensitiveEquals(_ other: MilterString) -> Bool {
        guard bytes.count == other.bytes.count else { return false }
        for index in bytes.indices where Self.lowercased(bytes[index]) != Self.lowercased(other.bytes[index]) {
            return false
        }
        return true
    }

    /// True when the bytes start with `prefix`.
    public func hasPrefix(_ prefix: MilterString) -> Bool {
        bytes.count >= prefix.bytes.count && bytes[0..<prefix.bytes.count].elementsEqual(prefix.bytes)
    }

    /// Byte-wise ordering.
    public static func < (lhs: MilterString, rhs: MilterString) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }

    @inline(__always)
    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
    }
}

extension MilterString: ExpressibleByStringLiteral {
    /// A literal's UTF-8 bytes.
    public init(stringLiteral value: String) {
        self.init(value)
    }
}

extension MilterString: CustomStringConvertible, CustomDebugStringConvertible {
    /// The lossy UTF-8 view.
    public var description: String { string }
    /// The lossy UTF-8 view, quoted.
    public var debugDescription: String { "\"" + string + "\"" }
}
