import MilterProtocol
import NIOCore
import NIOEmbedded
import Testing

@Suite("Frame decoder: streaming and malformed input")
struct FrameDecoderTests {
    /// Every fixture, fed one byte at a time through a real channel pipeline, comes out whole
    /// and in order.
    @Test func dripFeedCommandsThroughAPipeline() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(MilterCommandDecoder()))
        for byte in commandFixtures.flatMap(\.bytes) {
            try channel.writeInbound(ByteBuffer(bytes: [byte]))
        }
        var received: [MilterCommand] = []
        while let command = try channel.readInbound(as: MilterCommand.self) { received.append(command) }
        #expect(received == commandFixtures.map(\.command))
        _ = try channel.finish()
    }

    @Test func dripFeedRepliesThroughAPipeline() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(MilterReplyDecoder()))
        for byte in replyFixtures.flatMap(\.bytes) {
            try channel.writeInbound(ByteBuffer(bytes: [byte]))
        }
        var received: [MilterReply] = []
        while let reply = try channel.readInbound(as: MilterReply.self) { received.append(reply) }
        #expect(received == replyFixtures.map(\.reply))
        _ = try channel.finish()
    }

    @Test func twoFramesInOneBuffer() throws {
        var decoder = MilterReplyDecoder()
        var buffer = Wire.buffer(Wire.hex("00 00 00 01 63 00 00 00 01 61"))
        #expect(try decoder.decode(buffer: &buffer) == .continue)
        #expect(try decoder.decode(buffer: &buffer) == .accept)
        #expect(try decoder.decode(buffer: &buffer) == nil)
    }

    @Test func needMoreBytesIsNotAnError() throws {
        var decoder = MilterFrameDecoder()
        var buffer = Wire.buffer(Wire.hex("00 00 00 05 48 61"))
        #expect(try decoder.decode(buffer: &buffer) == nil)
        #expect(buffer.readableBytes == 6)
    }

    @Test func zeroLengthIsRejected() {
        var decoder = MilterFrameDecoder()
        var buffer = Wire.buffer(Wire.hex("00 00 00 00 63"))
        #expect(throws: MilterParseError(.zeroLength, code: 0, offset: 0)) { try decoder.decode(buffer: &buffer) }
    }

    /// The length is checked as soon as its 4 bytes are in: nothing of the payload is needed.
    @Test func hugeLengthIsRejectedBeforeBuffering() {
        var decoder = MilterFrameDecoder(maximumLength: 65536)
        var buffer = Wire.buffer(Wire.hex("ff ff ff ff"))
        #expect(throws: MilterParseError(.frameTooLong(length: 0xffff_ffff, maximum: 65536), code: 0, offset: 0)) {
            try decoder.decode(buffer: &buffer)
        }
        var justOver = Wire.buffer(Wire.hex("00 01 00 01"))
        #expect(throws: MilterParseError(.frameTooLong(length: 65537, maximum: 65536), code: 0, offset: 0)) {
            try decoder.decode(buffer: &justOver)
        }
        var atLimit = Wire.buffer(Wire.hex("00 01 00 00"))
        #expect((try? decoder.decode(buffer: &atLimit)) == .some(nil))
    }

    @Test func defaultMaximumIsOneMebibyte() {
        #expect(MilterFrameDecoder().maximumLength == 1_048_576)
    }

    @Test func pipelineStopsAfterAnError() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(MilterReplyDecoder()))
        #expect(throws: MilterParseError.self) {
            try channel.writeInbound(Wire.buffer(Wire.hex("00 00 00 01 5a")))
        }
        // Further valid input is ignored: the stream is dead.
        _ = try? channel.writeInbound(Wire.buffer(Wire.hex("00 00 00 01 63")))
        #expect(try channel.readInbound(as: MilterReply.self) == nil)
        _ = try? channel.finish()
    }

    @Test func truncatedStreamIsReportedAtEOF() throws {
        var decoder = MilterFrameDecoder()
        var buffer = Wire.buffer(Wire.hex("00 00 00 05 48 61 62"))
        #expect(throws: MilterParseError(.unexpectedEndOfStream(missing: 2), code: 0x48, offset: 7)) {
            try decoder.decodeLast(buffer: &buffer, seenEOF: true)
        }
        var lengthOnly = Wire.buffer(Wire.hex("00 00"))
        #expect(throws: MilterParseError(.unexpectedEndOfStream(missing: 2), code: 0, offset: 2)) {
            try decoder.decodeLast(buffer: &lengthOnly, seenEOF: true)
        }
    }

    struct Malformed: CustomStringConvertible, Sendable {
        let name: String
        let bytes: [UInt8]
        let error: MilterParseError
        var description: String { name }
    }

    static let malformedCommands: [Malformed] = [
        Malformed(
            name: "unknown code", bytes: Wire.packet("Z"), error: MilterParseError(.unknownCode, code: 0x5a, offset: 0)),
        Malformed(
            name: "negotiate with 13 bytes", bytes: Wire.packet("O", .u32(6), .u32(0), .u32(0), .raw([1])),
            error: MilterParseError(.trailingBytes(count: 1), code: 0x4f, offset: 13)),
        Malformed(
            name: "negotiate truncated", bytes: Wire.packet("O", .u32(6), .u32(0)),
            error: MilterParseError(.truncated(field: "protocol flags"), code: 0x4f, offset: 9)),
        Malformed(
            name: "connect empty host", bytes: Wire.packet("C", .cstring(""), .text("U")),
            error: MilterParseError(.emptyString(field: "host name"), code: 0x43, offset: 1)),
        Malformed(
            name: "connect bad IPv4", bytes: Wire.packet("C", .cstring("h"), .text("4"), .u16(25), .cstring("1.2.3")),
            error: MilterParseError(.invalidAddress("1.2.3"), code: 0x43, offset: 6)),
        Malformed(
            name: "connect bad family", bytes: Wire.packet("C", .cstring("h"), .text("X")),
            error: MilterParseError(.invalidAddressFamily(0x58), code: 0x43, offset: 3)),
        Malformed(
            name: "connect unknown family with extra bytes",
            bytes: Wire.packet("C", .cstring("h"), .text("U"), .raw([0])),
            error: MilterParseError(.trailingBytes(count: 1), code: 0x43, offset: 4)),
        Malformed(
            name: "helo without NUL", bytes: Wire.packet("H", .text("delian")),
            error: MilterParseError(.truncated(field: "HELO name"), code: 0x48, offset: 1)),
        Malformed(
            name: "mail empty", bytes: Wire.packet("M", .cstring("")),
            error: MilterParseError(.emptyString(field: "envelope sender"), code: 0x4d, offset: 1)),
        Malformed(
            name: "macro bad context", bytes: Wire.packet("D", .text("Q"), .cstring("j"), .cstring("x")),
            error: MilterParseError(.invalidMacroContext(0x51), code: 0x44, offset: 1)),
        Malformed(
            name: "macro empty name", bytes: Wire.packet("D", .text("C"), .cstring(""), .cstring("x")),
            error: MilterParseError(.emptyString(field: "macro name"), code: 0x44, offset: 2)),
        Malformed(
            name: "macro value without NUL", bytes: Wire.packet("D", .text("C"), .cstring("j"), .text("x")),
            error: MilterParseError(.truncated(field: "macro value"), code: 0x44, offset: 4)),
        Malformed(
            name: "macro name not UTF-8", bytes: Wire.packet("D", .text("C"), .raw([0xff, 0]), .cstring("x")),
            error: MilterParseError(.invalidText(field: "macro name"), code: 0x44, offset: 2)),
        Malformed(
            name: "data with payload", bytes: Wire.packet("T", .raw([1, 2])),
            error: MilterParseError(.trailingBytes(count: 2), code: 0x54, offset: 1)),
        Malformed(
            name: "header without value", bytes: Wire.packet("L", .cstring("From")),
            error: MilterParseError(.truncated(field: "header value"), code: 0x4c, offset: 6)),
    ]

    @Test("malformed command", arguments: malformedCommands)
    func malformedCommand(_ row: Malformed) {
        var decoder = MilterCommandDecoder()
        var buffer = Wire.buffer(row.bytes)
        #expect(throws: row.error) { try decoder.decode(buffer: &buffer) }
    }

    static let malformedReplies: [Malformed] = [
        Malformed(
            name: "unknown code", bytes: Wire.packet("Z"), error: MilterParseError(.unknownCode, code: 0x5a, offset: 0)),
        Malformed(
            name: "continue with payload", bytes: Wire.packet("c", .raw([0])),
            error: MilterParseError(.trailingBytes(count: 1), code: 0x63, offset: 1)),
        Malformed(
            name: "reply code 250", bytes: Wire.packet("y", .cstring("250 ok")),
            error: MilterParseError(.invalidReplyCode("250"), code: 0x79, offset: 1)),
        Malformed(
            name: "reply code too short", bytes: Wire.packet("y", .cstring("55")),
            error: MilterParseError(.invalidReplyCode("55"), code: 0x79, offset: 1)),
        Malformed(
            name: "negotiate macro stage 9", bytes: Wire.packet("O", .u32(6), .u32(0), .u32(0), .u32(9), .cstring("j")),
            error: MilterParseError(.invalidMacroStage(9), code: 0x4f, offset: 13)),
        Malformed(
            name: "negotiate empty macro list",
            bytes: Wire.packet("O", .u32(6), .u32(0), .u32(0), .u32(1), .cstring("  ")),
            error: MilterParseError(.emptyMacroList, code: 0x4f, offset: 20)),
        Malformed(
            name: "negotiate too short", bytes: Wire.packet("O", .u32(6)),
            error: MilterParseError(.truncated(field: "action flags"), code: 0x4f, offset: 5)),
        Malformed(
            name: "insert header truncated index", bytes: Wire.packet("i", .raw([0, 0])),
            error: MilterParseError(.truncated(field: "header index"), code: 0x69, offset: 1)),
        Malformed(
            name: "quarantine empty", bytes: Wire.packet("q", .cstring("")),
            error: MilterParseError(.emptyString(field: "quarantine reason"), code: 0x71, offset: 1)),
        Malformed(
            name: "add recipient with parameters missing them", bytes: Wire.packet("2", .cstring("<a@b>")),
            error: MilterParseError(.truncated(field: "parameters"), code: 0x32, offset: 7)),
    ]

    @Test("malformed reply", arguments: malformedReplies)
    func malformedReply(_ row: Malformed) {
        var decoder = MilterReplyDecoder()
        var buffer = Wire.buffer(row.bytes)
        #expect(throws: row.error) { try decoder.decode(buffer: &buffer) }
    }

    @Test func errorsReadWell() {
        let error = MilterParseError(.invalidAddress("1.2.3"), code: 0x43, offset: 6)
        #expect(error.description == "packet 'C' at offset 6: invalid address \"1.2.3\"")
        #expect(
            MilterParseError(.frameTooLong(length: 99, maximum: 10), code: 0, offset: 0).description
                == "packet at offset 0: length 99 exceeds the maximum 10")
    }
}
