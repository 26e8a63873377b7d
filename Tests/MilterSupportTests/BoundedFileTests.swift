import Foundation
import MilterSupport
import MilterTestSupport
import Testing

/// `BoundedFile` on real files, links, FIFOs, devices and pipes: every refusal is a clear
/// error, nothing blocks, and no more than the limit is ever kept.
@Suite struct BoundedFileTests {
    private func scratch() throws -> String { try TestPaths.makeTemporaryDirectory("bounded").path }

    private func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    @Test func readsARegularFileUpToItsLimit() throws {
        let directory = try scratch()
        try write("12345", to: directory + "/five")
        #expect(try BoundedFile.readRegularFile(atPath: directory + "/five", limit: 5) == Array("12345".utf8))
        #expect(throws: FileReadError.tooLarge(limit: 4)) {
            try BoundedFile.readRegularFile(atPath: directory + "/five", limit: 4)
        }
        #expect(throws: FileReadError.tooLarge(limit: 4)) {
            try BoundedFile.readNamedFile(atPath: directory + "/five", limit: 4)
        }
    }

    @Test func readsAProcFileWhoseSizeIsZero() throws {
        let bytes = try BoundedFile.readRegularFile(atPath: "/proc/self/status")
        #expect(String(decoding: bytes, as: UTF8.self).contains("Pid:"))
        #expect(throws: FileReadError.tooLarge(limit: 10)) {
            try BoundedFile.readRegularFile(atPath: "/proc/self/status", limit: 10)
        }
    }

    /// (what is at the path, the error `readRegularFile` gives).
    @Test func refusesWhatIsNotARegularFileWithoutBlocking() throws {
        let directory = try scratch()
        try write("x", to: directory + "/target")
        symlink(directory + "/target", directory + "/link")
        mkfifo(directory + "/fifo", 0o600)
        #expect(throws: FileReadError.notFound) { try BoundedFile.readRegularFile(atPath: directory + "/missing") }
        #expect(throws: FileReadError.notFound) {
            try BoundedFile.readRegularFile(atPath: directory + "/target/below")
        }
        #expect(throws: FileReadError.symlinkLoop) { try BoundedFile.readRegularFile(atPath: directory + "/link") }
        #expect(throws: FileReadError.notRegularFile("a FIFO")) {
            try BoundedFile.readRegularFile(atPath: directory + "/fifo")
        }
        #expect(throws: FileReadError.notRegularFile("a directory")) {
            try BoundedFile.readRegularFile(atPath: directory)
        }
        #expect(throws: FileReadError.notRegularFile("a character device")) {
            try BoundedFile.readRegularFile(atPath: "/dev/zero")
        }
    }

    @Test func aNamedFileFollowsLinksAndReadsAPipeToItsEnd() throws {
        let directory = try scratch()
        try write("through the link", to: directory + "/target")
        symlink(directory + "/target", directory + "/link")
        #expect(
            try BoundedFile.readNamedFile(atPath: directory + "/link", limit: 100) == Array("through the link".utf8))
        mkfifo(directory + "/fifo", 0o600)
        let fifo = directory + "/fifo"
        // The writer opens the FIFO on its own thread: opening blocks until the reader opens it.
        let writer = Thread {
            let descriptor = open(fifo, O_WRONLY)
            try? DescriptorWriter.writeAll("from a pipe", to: descriptor)
            close(descriptor)
        }
        writer.start()
        #expect(try BoundedFile.readNamedFile(atPath: fifo, limit: 100) == Array("from a pipe".utf8))
        #expect(throws: FileReadError.notRegularFile("a directory")) {
            try BoundedFile.readNamedFile(atPath: directory, limit: 100)
        }
        #expect(throws: FileReadError.notRegularFile("a character device")) {
            try BoundedFile.readNamedFile(atPath: "/dev/zero", limit: 100)
        }
    }

    @Test func aStreamLongerThanTheLimitIsRefused() throws {
        var descriptors: [Int32] = [0, 0]
        #expect(pipe(&descriptors) == 0)
        defer { close(descriptors[0]) }
        let chunk = [UInt8](repeating: 0x41, count: 1000)
        try DescriptorWriter.writeAll(chunk, to: descriptors[1])
        close(descriptors[1])
        #expect(throws: FileReadError.tooLarge(limit: 999)) {
            try BoundedFile.read(descriptor: descriptors[0], limit: 999)
        }
    }

    @Test func errorsSayWhatIsWrong() {
        #expect(FileReadError.notFound.description == "no such file")
        #expect(FileReadError.notRegularFile("a FIFO").description == "it is a FIFO, not a regular file")
        #expect(FileReadError.tooLarge(limit: 8).description == "it is larger than 8 bytes")
        #expect(FileReadError.symlinkLoop.description == "too many levels of symbolic links")
    }
}
