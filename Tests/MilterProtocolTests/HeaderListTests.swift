import MilterProtocol

import Testing

@Suite("Header list: Sendmail semantics and the diff sent to the MTA")
struct HeaderListTests {
    private func list(_ pairs: [(String, String)]) -> HeaderList {
        HeaderList(pairs.map { Header(name: MilterString($0.0), value: MilterString($0.1)) })
    }

    @Test func addGoesBeforeTheFirstHeaderOfTheSameName() {
        var headers = list([("From", "a"), ("Received", "r1"), ("To", "b")])
        headers.add(name: "received", value: "r0")
        headers.add(name: "X-New", value: "x")
        #expect(headers == list([("From", "a"), ("received", "r0"), ("Received", "r1"), ("To", "b"), ("X-New", "x")]))
    }

    @Test func insertAtPositionOrAppend() {
        var headers = list([("A", "1"), ("B", "2")])
        headers.insert(at: 1, name: "X", value: "x")
        headers.insert(at: 99, name: "Y", value: "y")
        headers.insert(at: 0, name: "Z", value: "z")
        #expect(headers == list([("Z", "z"), ("A", "1"), ("X", "x"), ("B", "2"), ("Y", "y")]))
    }

    @Test func changeDeleteAndMissing() {
        var headers = list([("X", "1"), ("Y", "y"), ("x", "2")])
        headers.change(index: 2, name: "X", value: "two")
        #expect(headers == list([("X", "1"), ("Y", "y"), ("x", "two")]))
        headers.change(index: 1, name: "X", value: "")
        #expect(headers == list([("Y", "y"), ("x", "two")]))
        headers.change(index: 5, name: "X", value: "added")  // missing: behaves like add
        #expect(headers == list([("Y", "y"), ("X", "added"), ("x", "two")]))
        headers.change(index: 7, name: "Nope", value: "")  // deleting a missing header: no-op
        #expect(headers.headers.count == 3)
    }

    @Test func diffOfAddedHeadersIsInserts() {
        let original = list([("From", "a"), ("To", "b")])
        var final = original
        final.add(name: "X-Spam", value: "no")
        #expect(final.modifications(from: original) == [.insertHeader(index: 2, name: "X-Spam", value: "no")])
    }

    @Test func diffOfChangedAndDeleted() {
        let original = list([("Subject", "hi"), ("X-Old", "1"), ("X-Old", "2")])
        let final = list([("Subject", "[SPAM] hi"), ("X-Old", "2")])
        #expect(
            final.modifications(from: original) == [
                .changeHeader(index: 1, name: "Subject", value: "[SPAM] hi"),
                .changeHeader(index: 1, name: "X-Old", value: ""),
            ])
    }

    /// Inserted headers land at the right place even when an earlier original is deleted later.
    @Test func diffInsertIndexesAccountForPendingDeletions() {
        let original = list([("A", "1"), ("B", "2"), ("C", "3")])
        let final = list([("A", "1"), ("C", "3"), ("X", "x")])
        var replay = original
        for modification in final.modifications(from: original) { replay.apply(modification) }
        #expect(replay == final)
    }

    @Test func noChangeNoModification() {
        let original = list([("A", "1"), ("A", "1"), ("B", "")])
        #expect(original.modifications(from: original).isEmpty)
    }

    /// Random originals, random Sendmail-style edits; applying the diff to the original must
    /// always give the edited list.
    @Test func diffReplaysToTheFinalListForRandomEdits() {
        var generator = SplitMix64(seed: 20_261_125)
        let names: [MilterString] = ["A", "B", "Received", "X-Spam", "Subject"]
        let values: [MilterString] = ["", "1", "2", "yes", "no"]
        for round in 0..<2000 {
            var original = HeaderList()
            for _ in 0..<Int(generator.next() % 6) {
                original.append(
                    name: names.randomElement(using: &generator)!, value: values.randomElement(using: &generator)!)
            }
            var final = original
            for _ in 0..<Int(generator.next() % 6) {
                let name = names.randomElement(using: &generator)!
                let value = values.randomElement(using: &generator)!
                switch generator.next() % 4 {
                case 0: final.add(name: name, value: value)
                case 1: final.insert(at: UInt32(generator.next() % 7), name: name, value: value)
                case 2: final.change(index: UInt32(generator.next() % 3 + 1), name: name, value: value)
                default: final.change(index: UInt32(generator.next() % 3 + 1), name: name, value: "")
                }
            }
            var replay = original
            for modification in final.modifications(from: original) { replay.apply(modification) }
            #expect(replay == final, "round \(round): \(original.headers) -> \(final.headers)")
            if replay != final { return }
        }
    }
}

/// A small deterministic generator so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
