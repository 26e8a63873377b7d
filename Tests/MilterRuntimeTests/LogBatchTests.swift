import Configuration
import Dispatch
import Foundation
import MilterRuntime
import MilterTestSupport
import NIOCore
import NIOPosix
import Testing

/// `LogSink` gathers the lines logged on an event loop and writes them at the end of the loop's
/// round; these tests watch a real file from inside and after such rounds.
struct LogBatchTests {
    /// A sink writing to `manager.log` in a fresh directory, opened.
    private static func sink(in directory: URL) throws -> (LogSink, String) {
        let path = directory.appendingPathComponent("manager.log").path
        let sink = LogSink(flags: LogLevel.defaultFlags, path: path, useSyslog: false, facility: .mail)
        try sink.openFile()
        return (sink, path)
    }

    /// The messages of the file's lines, without their time stamps.
    private static func messages(_ path: String) -> [String] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { line in
            guard let end = line.range(of: "]: ") else { return String(line) }
            return String(line[end.upperBound...])
        }
    }

    @Test func linesLoggedOnAnEventLoopAreWrittenInOrderOnceItsRoundEnds() throws {
        let directory = try TestPaths.makeTemporaryDirectory("logbatch")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (sink, path) = try Self.sink(in: directory)
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let seenInsideTheRound = try loop.submit {
            for number in 1...3 { sink.write(.statistics, "[statistics] line \(number)") }
            return Self.messages(path)
        }.wait()
        #expect(seenInsideTheRound.isEmpty, "written before the round ended: \(seenInsideTheRound)")
        // The flush was queued before this task, so it has run once this one runs.
        let seenAfterwards = try loop.submit { Self.messages(path) }.wait()
        #expect(seenAfterwards == ["[statistics] line 1", "[statistics] line 2", "[statistics] line 3"])
    }

    @Test func aRoundOverTheBatchLimitIsWrittenWithoutWaiting() throws {
        let directory = try TestPaths.makeTemporaryDirectory("logbatch")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (sink, path) = try Self.sink(in: directory)
        let line = String(repeating: "x", count: 1000)
        let count = LogSink.batchLimit / 1000 + 1
        let bytesInsideTheRound = try MultiThreadedEventLoopGroup.singleton.next().submit {
            for _ in 0..<count { sink.write(.message, line) }
            return (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        }.wait()
        #expect(bytesInsideTheRound >= LogSink.batchLimit)
        sink.flush()
        #expect(Self.messages(path).count == count)
    }

    @Test func aLineLoggedOffTheLoopComesAfterTheLinesWaitingThere() throws {
        let directory = try TestPaths.makeTemporaryDirectory("logbatch")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (sink, path) = try Self.sink(in: directory)
        try MultiThreadedEventLoopGroup.singleton.next().submit {
            sink.write(.message, "on the loop")
            let done = DispatchSemaphore(value: 0)
            Thread.detachNewThread {
                sink.write(.message, "off the loop")
                done.signal()
            }
            done.wait()
        }.wait()
        sink.flush()
        #expect(Self.messages(path) == ["on the loop", "off the loop"])
    }

    @Test func aReopenWritesTheWaitingLinesToTheFileTheyWereLoggedFor() throws {
        let directory = try TestPaths.makeTemporaryDirectory("logbatch")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (sink, path) = try Self.sink(in: directory)
        let rotated = path + ".1"
        let error = try MultiThreadedEventLoopGroup.singleton.next().submit {
            sink.write(.message, "before the rotation")
            try? FileManager.default.moveItem(atPath: path, toPath: rotated)
            let error = sink.reopen()
            sink.write(.message, "after the rotation")
            return error
        }.wait()
        #expect(error == nil)
        sink.flush()
        #expect(Self.messages(rotated) == ["before the rotation"])
        #expect(Self.messages(path) == ["after the rotation"])
    }

    @Test func aLineIsStampedWithTheCurrentUTCTime() throws {
        let directory = try TestPaths.makeTemporaryDirectory("logbatch")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (sink, path) = try Self.sink(in: directory)
        let before = Date()
        sink.write(.message, "now")
        let after = Date()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let stamp = try #require(text.firstMatch(of: /^\[([^\]]+)\]: now\n$/)?.1)
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let date = try #require(parser.date(from: String(stamp)), "not an ISO 8601 UTC time: \(stamp)")
        #expect(date >= before.addingTimeInterval(-0.001) && date <= after.addingTimeInterval(0.001))
    }
}
