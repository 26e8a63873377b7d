/// The few DNS messages the DNSBL look-ups need (RFC 1035): an A query, and the answer to it
/// read defensively. Every length is checked before it is used, compression pointers may only
/// point backwards and are followed a bounded number of times, and anything malformed is "no
/// answer" (nil), never a crash.
enum DNSMessage {
    /// Record type A.
    static let typeA: UInt16 = 1
    /// Record type SOA (negative answers carry it; its minimum bounds the negative TTL).
    static let typeSOA: UInt16 = 6
    /// Class IN.
    static let classIN: UInt16 = 1
    /// How many compression pointers one name may follow.
    static let maximumPointers = 16
    /// The longest name (RFC 1035 §3.1).
    static let maximumNameLength = 255

    /// An A query for `name` (dotted, no trailing dot needed) with recursion desired; nil when
    /// the name is empty, a label is empty or longer than 63 bytes, or the name is too long.
    static func query(id: UInt16, name: String) -> [UInt8]? {
        guard !name.isEmpty, name != "." else { return nil }
        var bytes: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xFF), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]
        var length = 1
        for label in name.split(separator: ".", omittingEmptySubsequences: false) {
            if label.isEmpty, label.endIndex == name.endIndex { break }
            let utf8 = Array(label.utf8)
            guard !utf8.isEmpty, utf8.count <= 63 else { return nil }
            length += utf8.count + 1
            bytes.append(UInt8(utf8.count))
            bytes += utf8
        }
        guard length <= maximumNameLength else { return nil }
        bytes += [0, 0, UInt8(typeA), 0, UInt8(classIN)]
        return bytes
    }

    /// What an answer says about the A query.
    struct Answer: Hashable, Sendable {
        /// The response code (0 = no error, 3 = no such name).
        var responseCode: UInt8
        /// The A records for the queried name (4 bytes each).
        var addresses: [[UInt8]]
        /// How long the answer may be cached, seconds: the smallest TTL of the A records, or
        /// for a negative answer the SOA's minimum and TTL (RFC 2308), 0 when unknown.
        var ttl: UInt32
        /// The TC bit: the answer was truncated.
        var truncated: Bool
    }

    /// Reads a response to the query `id` for `name`; nil when it is not one (wrong id, not a
    /// response, another question, malformed).
    static func parseResponse(_ bytes: [UInt8], id: UInt16, name: String) -> Answer? {
        var reader = Reader(bytes: bytes)
        guard let messageID = reader.uint16(), messageID == id, let flags = reader.uint16(),
            flags & 0x8000 != 0, flags & 0x7800 == 0,  // a response to a standard query
            let questions = reader.uint16(), let answers = reader.uint16(), let authorities = reader.uint16(),
            reader.uint16() != nil, questions == 1
        else { return nil }
        guard let questionName = reader.name(), questionName == normalized(name),
            reader.uint16() == typeA, reader.uint16() == classIN
        else { return nil }
        var answer = Answer(
            responseCode: UInt8(flags & 0x000F), addresses: [], ttl: .max, truncated: flags & 0x0200 != 0)
        var sawRecord = false
        for index in 0..<(Int(answers) + Int(authorities)) {
            guard let owner = reader.name(), let type = reader.uint16(), let klass = reader.uint16(),
                let ttl = reader.uint32(), let length = reader.uint16(), let data = reader.bytes(Int(length))
            else { return nil }
            let ttlSeconds = min(ttl, 0x7FFF_FFFF)
            if index < Int(answers) {
                guard type == typeA, klass == classIN, owner == questionName else { continue }
                guard data.count == 4 else { return nil }
                answer.addresses.append(Array(data))
                answer.ttl = min(answer.ttl, ttlSeconds)
                sawRecord = true
            } else if type == typeSOA, answer.addresses.isEmpty {
                var soa = Reader(bytes: bytes, position: reader.position - Int(length))
                guard soa.name() != nil, soa.name() != nil, soa.bytes(16) != nil, let minimum = soa.uint32() else {
                    return nil
                }
                answer.ttl = min(answer.ttl, min(ttlSeconds, minimum))
                sawRecord = true
            }
        }
        if !sawRecord { answer.ttl = 0 }
        return answer
    }

    /// A name lower-cased without a trailing dot, as `Reader.name()` returns names.
    static func normalized(_ name: String) -> String {
        var text = name.lowercased()
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// Reads big-endian integers and names, never past the end.
    struct Reader {
        let bytes: [UInt8]
        var position = 0

        mutating func uint16() -> UInt16? {
            guard position + 2 <= bytes.count else { return nil }
            defer { position += 2 }
            return UInt16(bytes[position]) << 8 | UInt16(bytes[position + 1])
        }

        mutating func uint32() -> UInt32? {
            guard let high = uint16(), let low = uint16() else { return nil }
            return UInt32(high) << 16 | UInt32(low)
        }

        mutating func bytes(_ count: Int) -> ArraySlice<UInt8>? {
            guard count >= 0, position + count <= bytes.count else { return nil }
            defer { position += count }
            return bytes[position..<(position + count)]
        }

        /// A name, lower-cased and dotted; pointers only backwards, at most `maximumPointers`.
        mutating func name() -> String? {
            var labels: [String] = []
            var length = 0
            var cursor = position
            var jumped = false
            var pointers = 0
            var lowestTarget = position
            while true {
                guard cursor < bytes.count else { return nil }
                let byte = bytes[cursor]
                switch byte & 0xC0 {
                case 0x00:
                    if byte == 0 {
                        if !jumped { position = cursor + 1 }
                        return labels.joined(separator: ".")
                    }
                    let count = Int(byte)
                    guard cursor + 1 + count <= bytes.count else { return nil }
                    length += count + 1
                    guard length <= maximumNameLength else { return nil }
                    labels.append(String(decoding: bytes[(cursor + 1)...(cursor + count)], as: UTF8.self).lowercased())
                    cursor += count + 1
                case 0xC0:
                    guard cursor + 1 < bytes.count else { return nil }
                    let target = Int(byte & 0x3F) << 8 | Int(bytes[cursor + 1])
                    pointers += 1
                    guard pointers <= maximumPointers, target < lowestTarget else { return nil }
                    if !jumped { position = cursor + 2 }
                    jumped = true
                    lowestTarget = target
                    cursor = target
                default:
                    return nil  // 0x40 and 0x80: extended and reserved label types.
                }
            }
        }
    }
}
