import Configuration
import Testing

@testable import MilterRuntime

/// Query names and the defensive reading of DNS answers: every malformed reply is "no
/// answer", never a crash, whatever its bytes.
@Suite struct DNSMessageTests {
    @Test(arguments: [
        ("127.0.0.2", "zen.example", "2.0.0.127.zen.example"),
        ("192.0.2.1", "bl.example.", "1.2.0.192.bl.example"),
        ("2001:db8::1", "v6.example", "1.0.0.0." + String(repeating: "0.", count: 20) + "8.b.d.0.1.0.0.2.v6.example"),
    ])
    func queryNamesReverseTheAddress(_ address: String, _ zone: String, _ expected: String) {
        #expect(DNSBLQueryName.make(address: IPAddressRange.parseAddress(address)!, zone: zone) == expected)
    }

    @Test(arguments: ["", "a..b", String(repeating: "a", count: 64) + ".x", String(repeating: "abcdefg.", count: 40)])
    func badNamesMakeNoQuery(_ name: String) {
        #expect(DNSMessage.query(id: 1, name: name) == nil)
    }

    static let name = "2.0.0.127.bl.example"

    /// A valid answer: the question, one A record with a compressed owner name.
    static func answer(id: UInt16 = 0x1234, flags: [UInt8] = [0x81, 0x80], record: [UInt8]? = nil) -> [UInt8] {
        var bytes = DNSMessage.query(id: id, name: name)!
        bytes[2] = flags[0]
        bytes[3] = flags[1]
        bytes[7] = 1
        bytes += record ?? [0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 2]
        return bytes
    }

    @Test func aValidAnswerIsRead() {
        let answer = DNSMessage.parseResponse(Self.answer(), id: 0x1234, name: Self.name)
        #expect(answer == DNSMessage.Answer(responseCode: 0, addresses: [[127, 0, 0, 2]], ttl: 60, truncated: false))
    }

    /// Broken replies and why each is refused.
    @Test(arguments: [
        ("another id", answer(id: 0x4321)),
        ("a query, not a response", answer(flags: [0x01, 0x00])),
        ("an A record of 5 bytes", answer(record: [0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 5, 127, 0, 0, 2, 9])),
        ("a pointer to itself", answer(record: [0xC0, 29, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 2])),
        ("a forward pointer", answer(record: [0xC0, 40, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 2])),
        ("a pointer past the end", answer(record: [0xFF, 0xFF, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 2])),
        ("a label past the end", answer(record: [0x3F, 1, 2])),
        ("a reserved label type", answer(record: [0x80, 1, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 2])),
        ("rdata longer than the message", answer(record: [0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0xFF, 0xFF, 127])),
    ])
    func brokenRepliesAreNoAnswer(_ label: String, _ bytes: [UInt8]) {
        #expect(DNSMessage.parseResponse(bytes, id: 0x1234, name: Self.name) == nil, "\(label)")
    }

    @Test func everyPrefixOfAnAnswerIsSafe() {
        let full = Self.answer()
        for length in 0..<full.count {
            #expect(DNSMessage.parseResponse(Array(full[..<length]), id: 0x1234, name: Self.name) == nil)
        }
    }

    @Test func randomBytesNeverCrash() {
        var generator = SystemRandomNumberGenerator()
        let header = Array(Self.answer().prefix(12))
        for _ in 0..<20_000 {
            let count = Int.random(in: 0..<96, using: &generator)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if Bool.random(using: &generator) { bytes = header + bytes }
            _ = DNSMessage.parseResponse(bytes, id: 0x1234, name: Self.name)
        }
    }

    @Test func aChainOfPointersIsBounded() {
        // 40 pointers, each to the one before it: longer than the 16 allowed.
        var bytes = DNSMessage.query(id: 0x1234, name: Self.name)!
        bytes[2] = 0x81
        bytes[7] = 1
        var previous = 12
        var pointers: [UInt8] = []
        for _ in 0..<40 {
            let here = bytes.count + pointers.count
            pointers += [0xC0 | UInt8(previous >> 8), UInt8(previous & 0xFF)]
            previous = here
        }
        bytes += pointers
        bytes += [0xC0 | UInt8(previous >> 8), UInt8(previous & 0xFF), 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 127, 0, 0, 2]
        #expect(DNSMessage.parseResponse(bytes, id: 0x1234, name: Self.name) == nil)
    }
}
