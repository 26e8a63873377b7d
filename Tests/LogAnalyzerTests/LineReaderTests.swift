import Foundation
import LogAnalyzer
import Testing

/// Lines from a pipe: chunk boundaries, carriage returns, a missing last newline, huge lines.
@Suite struct LineReaderTests {
    private func lines(_ input: [UInt8], maximumLength: Int = 16) throws -> [String?] {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let writeEnd = fds[1]
        let writer = Thread {
            _ = input.withUnsafeBytes { write(writeEnd, $0.baseAddress, $0.count) }
            close(writeEnd)
        }
        writer.start()
        defer { close(fds[0]) }
        var result: [String?] = []
        try LineReader(descriptor: fds[0], name: "pipe", maximumLength: maximumLength).forEachLine { line in
            result.append(line.map { String(decoding: $0, as: UTF8.self) })
        }
        return result
    }

    @Test func splitsLinesAndDropsCarriageReturns() throws {
        #expect(try lines(Array("one\r\ntwo\n\nthree".utf8)) == ["one", "two", "", "three"])
    }

    @Test func aHugeLineIsSkippedWithoutBeingKept() throws {
        let huge = [UInt8](repeating: UInt8(ascii: "x"), count: 300_000)
        #expect(try lines(Array("a\n".utf8) + huge + Array("\nb\n".utf8)) == ["a", nil, "b"])
        #expect(try lines(Array("a\n".utf8) + huge) == ["a", nil])
    }

    @Test func aDirectoryIsAnError() throws {
        let descriptor = open("/", O_RDONLY)
        defer { close(descriptor) }
        #expect(throws: AnalyzerError.log(path: "/", problem: .isDirectory)) {
            try LineReader(descriptor: descriptor, name: "/").forEachLine { _ in }
        }
    }
}
