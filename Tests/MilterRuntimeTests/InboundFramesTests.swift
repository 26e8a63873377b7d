import MilterProtocol
import NIOCore
import NIOPosix
import Testing

@testable import MilterRuntime

/// The channel handlers cut packets out of the bytes read (`InboundFrames`) and move reply
/// deadlines instead of re-scheduling timers (`LazyDeadline`).
@Suite struct InboundFramesTests {
    /// Three commands encoded back to back.
    static func stream() -> [UInt8] {
        var buffer = ByteBuffer()
        for command: MilterCommand in [.helo("delian"), .header(name: "Subject", value: "hi"), .abort] {
            command.encode(into: &buffer)
        }
        return Array(buffer.readableBytesView)
    }

    /// However the bytes are split into reads, the same commands come out, in order, and
    /// nothing is left over.
    @Test(arguments: [1, 2, 3, 5, 7, 64])
    func everySplitGivesTheSameCommands(readSize: Int) throws {
        let bytes = Self.stream()
        var frames = InboundFrames(MilterCommandDecoder())
        var commands: [MilterCommand] = []
        for start in stride(from: 0, to: bytes.count, by: readSize) {
            frames.add(ByteBuffer(bytes: bytes[start..<min(start + readSize, bytes.count)]))
            while let command = try frames.next() { commands.append(command) }
        }
        #expect(commands == [.helo("delian"), .header(name: "Subject", value: "hi"), .abort])
        #expect(!frames.hasPartialPacket)
        try frames.finish()
    }

    /// A packet cut off by the end of the stream is an error naming what is missing; a length
    /// over the limit is refused from its 4 length bytes, before any payload; a zero length too.
    @Test func cutOffTooLongAndEmptyPacketsAreErrors() throws {
        var cut = InboundFrames(MilterCommandDecoder())
        cut.add(ByteBuffer(bytes: Self.stream().dropLast()))
        _ = try cut.next()
        _ = try cut.next()
        #expect(try cut.next() == nil)
        #expect(cut.hasPartialPacket)
        let cutError = Self.failure { try cut.finish() }
        #expect(cutError?.kind == .unexpectedEndOfStream(missing: 1))

        var long = InboundFrames(MilterCommandDecoder(maximumLength: 16))
        long.add(ByteBuffer(bytes: [0, 0, 0, 17]))
        let longError = Self.failure { _ = try long.next() }
        #expect(longError?.kind == .frameTooLong(length: 17, maximum: 16))

        var empty = InboundFrames(MilterReplyDecoder())
        empty.add(ByteBuffer(bytes: [0, 0, 0, 0]))
        let emptyError = Self.failure { _ = try empty.next() }
        #expect(emptyError?.kind == .zeroLength)
    }

    /// The parse error `body` throws, nil when it throws none.
    static func failure(_ body: () throws -> Void) -> MilterParseError? {
        do {
            try body()
            return nil
        } catch {
            return error as? MilterParseError
        }
    }

    /// (arm dates in seconds from 0, whether each needs a scheduled check, the check time, what it finds)
    static let deadlineCases: [([Int64], [Bool], Int64, String)] = [
        ([10], [true], 10, "expired"),
        ([10, 20, 30], [true, false, false], 10, "later 30"),
        ([10, 5], [true, true], 5, "expired"),
        ([10, 20], [true, false], 25, "expired"),
    ]

    /// Re-arming later needs no new check (the one scheduled moves on when it finds the date
    /// moved); re-arming earlier does; a disarmed deadline finds nothing.
    @Test(arguments: deadlineCases)
    func aDeadlineIsCheckedByOneTask(arms: [Int64], schedules: [Bool], checkAt: Int64, finds: String) {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        var deadline = LazyDeadline<String>()
        for (seconds, expected) in zip(arms, schedules) {
            let date = NIODeadline.uptimeNanoseconds(UInt64(seconds) * 1_000_000_000)
            let needs = deadline.arm(at: date, reason: "reading")
            #expect(needs == expected, "arming at \(seconds)")
            if needs { deadline.scheduled(loop.scheduleTask(deadline: .distantFuture) {}, at: date) }
        }
        let found: String
        switch deadline.check(now: .uptimeNanoseconds(UInt64(checkAt) * 1_000_000_000)) {
        case .none: found = "none"
        case .later(let date): found = "later \(date.uptimeNanoseconds / 1_000_000_000)"
        case .expired(let reason): found = reason == "reading" ? "expired" : "expired \(reason)"
        }
        #expect(found == finds)
        deadline.stop()
    }

    @Test func aDisarmedDeadlineFindsNothing() {
        var deadline = LazyDeadline<Int>()
        let needsCheck = deadline.arm(at: .uptimeNanoseconds(1_000), reason: 1)
        #expect(needsCheck)
        deadline.disarm()
        #expect(!deadline.isArmed)
        guard case .none = deadline.check(now: .uptimeNanoseconds(2_000)) else {
            Issue.record("a disarmed deadline expired")
            return
        }
    }
}
