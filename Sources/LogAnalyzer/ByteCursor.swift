/// A read position in a line's bytes, for the parsers.
struct ByteCursor {
    /// What is left to read.
    private(set) var rest: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { rest = bytes }

    /// Skips `literal` if the rest starts with it.
    mutating func skip(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard rest.count >= count else { return false }
        let matches = literal.withUTF8Buffer { buffer in rest.prefix(count).elementsEqual(buffer) }
        if matches { rest = rest.dropFirst(count) }
        return matches
    }

    /// Skips one byte if it is `byte`.
    mutating func skip(byte: UInt8) -> Bool {
        guard rest.first == byte else { return false }
        rest = rest.dropFirst()
        return true
    }

    /// The bytes between `[` and the next `]` (not containing either), or nil.
    mutating func bracketed() -> ArraySlice<UInt8>? { enclosed(UInt8(ascii: "["), UInt8(ascii: "]")) }

    /// The bytes between `(` and the next `)`, or nil.
    mutating func parenthesized() -> ArraySlice<UInt8>? { enclosed(UInt8(ascii: "("), UInt8(ascii: ")")) }

    private mutating func enclosed(_ open: UInt8, _ close: UInt8) -> ArraySlice<UInt8>? {
        guard rest.first == open, let end = rest.dropFirst().firstIndex(of: close) else { return nil }
        let inside = rest[(rest.startIndex + 1)..<end]
        guard !inside.contains(open) else { return nil }
        rest = rest[(end + 1)...]
        return inside
    }

    /// The leading ASCII digits (possibly none).
    mutating func digits() -> ArraySlice<UInt8> { take { $0 >= 0x30 && $0 <= 0x39 } }

    /// The leading bytes that satisfy `predicate`.
    mutating func take(while predicate: (UInt8) -> Bool) -> ArraySlice<UInt8> {
        let taken = rest.prefix(while: predicate)
        rest = rest.dropFirst(taken.count)
        return taken
    }

    /// Exactly `count` ASCII digits as a number, or nil.
    mutating func number(digits count: Int) -> Int? {
        guard rest.count >= count else { return nil }
        var value = 0
        for byte in rest.prefix(count) {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        rest = rest.dropFirst(count)
        return value
    }
}

extension ArraySlice where Element == UInt8 {
    /// The range of the first occurrence of `needle`.
    func firstRange(of needle: [UInt8]) -> Range<Index>? {
        guard !needle.isEmpty, count >= needle.count else { return nil }
        var index = startIndex
        while index <= endIndex - needle.count {
            if self[index] == needle[0] && self[index..<(index + needle.count)].elementsEqual(needle) {
                return index..<(index + needle.count)
            }
            index += 1
        }
        return nil
    }

    /// The range of the last occurrence of `needle`.
    func lastRange(of needle: [UInt8]) -> Range<Index>? {
        guard !needle.isEmpty, count >= needle.count else { return nil }
        var index = endIndex - needle.count
        while index >= startIndex {
            if self[index] == needle[0] && self[index..<(index + needle.count)].elementsEqual(needle) {
                return index..<(index + needle.count)
            }
            index -= 1
        }
        return nil
    }
}
