import MilterProtocol

/// Postfix-style queue ids (`69FDD42DF4A`: upper-case hex) for the `i` macro, one per message.
struct QueueIDGenerator: Sendable {
    /// Where the sequence starts (the start time, so runs differ).
    let seed: UInt64

    /// A generator starting at `seed`.
    init(seed: UInt64) { self.seed = seed }

    /// The id of message number `sequence`: 11 hex digits.
    func id(_ sequence: UInt64) -> MilterString {
        let value = (seed &+ sequence &* 0x9E37_79B9) & 0xFFF_FFFF_FFFF
        var digits = Array(String(value, radix: 16, uppercase: true).utf8)
        if digits.count < 11 { digits = Array(repeating: UInt8(ascii: "0"), count: 11 - digits.count) + digits }
        return MilterString(bytes: digits)
    }
}
