import Foundation
import MilterSupport
import Testing

/// `DescriptorWriter` through a real pipe: a write larger than the pipe's buffer goes out whole
/// and in order; a failed write says why.
@Suite struct DescriptorWriterTests {
    @Test func writesEverythingThroughAPipeThatFillsUp() throws {
        var descriptors: [Int32] = [0, 0]
        #expect(pipe(&descriptors) == 0)
        let bytes = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let writing = descriptors[1]
        let writer = Thread {
            try? DescriptorWriter.writeAll(bytes, to: writing)
            close(writing)
        }
        writer.start()
        let received = try BoundedFile.read(descriptor: descriptors[0], limit: 2 << 20)
        close(descriptors[0])
        #expect(received == bytes)
    }

    @Test func textIsWrittenWithEveryByteEvenANul() throws {
        var descriptors: [Int32] = [0, 0]
        #expect(pipe(&descriptors) == 0)
        try DescriptorWriter.writeAll("a\u{0}é\n", to: descriptors[1])
        try DescriptorWriter.writeAll(Array("tail".utf8)[1...], to: descriptors[1])
        close(descriptors[1])
        #expect(
            try BoundedFile.read(descriptor: descriptors[0], limit: 100) == [0x61, 0, 0xC3, 0xA9, 0x0A]
                + Array("ail".utf8))
        close(descriptors[0])
    }

    @Test func aFailedWriteCarriesItsErrno() {
        let readOnly = open("/dev/null", O_RDONLY)
        defer { close(readOnly) }
        #expect(throws: DescriptorWriter.Failure(code: EBADF)) { try DescriptorWriter.writeAll("x", to: readOnly) }
        #expect(DescriptorWriter.Failure(code: EBADF).description == "Bad file descriptor")
    }
}
