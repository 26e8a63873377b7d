import MilterProtocol

/// Postfix-style queue ids (`69FDD42DF4A`: upper-case hex) for the `i` macro, one per message.
struct QueueIDGenerator: Sendable {
    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// Where the sequence starts (the start time, so runs differ).
    let seed: UInt64

    /// A generator starting at `seed`.
    init(seed: UInt64) { self.seed = seed }

    /// The id of message number `sequence`: 11 hex digits.
    func id(_ sequence: UInt64) -> MilterString {
        var value = (seed &+ sequence &* 0x9E37_79B9) & 0xFFF_FFFF_FFFF
        var digits = [UInt8](repeating: 0, count: 11)
        for index in stride(from: 10, through: 0, by: -1) {
            digits[index] = Self.hexDigits[Int(value & 0xF)]
            value >>= 4
        }
        return MilterString(bytes: digits)
    }
}
