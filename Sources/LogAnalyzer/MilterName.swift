/// A child milter's name as it appears at the end of `[milter][end]` lines, checked before it
/// names files (`milter.status.NAME.rrd`) and goes into graph arguments and HTML: 1 to 64
/// bytes of letters, digits, `-`, `_`, `.`, `+` and `@`, not starting with a dot.
/// Anything else (a slash, a colon, a blank, a byte over 0x7f) is refused, never mapped.
public struct MilterName: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The name.
    public let text: String

    /// The longest name accepted, in bytes.
    public static let maximumLength = 64

    /// A name, or nil when `bytes` is not one we accept.
    public init?<Bytes: Collection>(bytes: Bytes) where Bytes.Element == UInt8 {
        guard !bytes.isEmpty, bytes.count <= Self.maximumLength, bytes.first != UInt8(ascii: ".") else { return nil }
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "+"), UInt8(ascii: "@"):
                continue
            default:
                return nil
            }
        }
        text = String(decoding: bytes, as: UTF8.self)
    }

    /// A name from text, or nil when it is not one we accept.
    public init?(_ text: String) {
        self.init(bytes: Array(text.utf8))
    }

    /// The name.
    public var description: String { text }

    /// Ordered by text.
    public static func < (lhs: MilterName, rhs: MilterName) -> Bool { lhs.text < rhs.text }
}
