import MilterProtocol
import NIOCore
import Testing

@Suite("Commands and replies: bytes on the wire")
struct CodecRoundTripTests {
    @Test("command encodes to its exact bytes", arguments: commandFixtures)
    func commandEncodes(_ fixture: CommandFixture) {
        var buffer = ByteBuffer()
        fixture.command.encode(into: &buffer)
        #expect(Array(buffer.readableBytesView) == fixture.bytes)
    }

    @Test("command parses from its exact bytes", arguments: commandFixtures)
    func commandParses(_ fixture: CommandFixture) throws {
        var decoder = MilterCommandDecoder()
        var buffer = Wire.buffer(fixture.bytes)
        let decoded = try decoder.decode(buffer: &buffer)
        #expect(decoded == fixture.command)
        #expect(buffer.readableBytes == 0)
    }

    @Test("reply encodes to its exact bytes", arguments: replyFixtures)
    func replyEncodes(_ fixture: ReplyFixture) {
        var buffer = ByteBuffer()
        fixture.reply.encode(into: &buffer)
        #expect(Array(buffer.readableBytesView) == fixture.bytes)
    }

    @Test("reply parses from its exact bytes", arguments: replyFixtures)
    func replyParses(_ fixture: ReplyFixture) throws {
        var decoder = MilterReplyDecoder()
        var buffer = Wire.buffer(fixture.bytes)
        let decoded = try decoder.decode(buffer: &buffer)
        #expect(decoded == fixture.reply)
        #expect(buffer.readableBytes == 0)
    }

    /// Adding a command or reply code without a fixture fails here.
    @Test func everyCommandCodeHasAFixture() {
        let covered = Set(commandFixtures.map(\.command.code))
        let missing = MilterCommandCode.allCases.filter { !covered.contains($0) }
        #expect(missing.isEmpty, "commands without a fixture: \(missing)")
    }

    @Test func everyReplyCodeHasAFixture() {
        let covered = Set(replyFixtures.map(\.reply.code))
        let missing = MilterReplyCode.allCases.filter { !covered.contains($0) }
        #expect(missing.isEmpty, "replies without a fixture: \(missing)")
    }

    /// Adding an enum case without a fixture fails here too: the case names of the fixtures
    /// must cover every case name, which the exhaustive `caseName` switch below lists.
    @Test func everyEnumCaseHasAFixture() {
        let commandCases = Set(commandFixtures.map { caseName($0.command) })
        #expect(commandCases == Set(allCommandCaseNames))
        let replyCases = Set(replyFixtures.map { caseName($0.reply) })
        #expect(replyCases == Set(allReplyCaseNames))
    }

    @Test func macroNamesLoseBracesAndRegainThemOnTheWire() throws {
        let macro = Macro(name: "{auth_type}", value: "PLAIN")
        #expect(macro.name == "auth_type")
        #expect(macro.wireName == "{auth_type}")
        #expect(Macro(name: "{j}", value: "x").wireName == "j")
        #expect(Macro(name: "i", value: "x").wireName == "i")
    }

    /// Found by `make fuzz`: a combining mark after `{` makes one character with it, so the
    /// braces must be removed as bytes.
    @Test func macroNameStartingWithACombiningMarkKeepsItsBytes() throws {
        let macro = Macro(name: "{\u{0615}}", value: "x")
        #expect(Array(macro.name.utf8) == [0xD8, 0x95])
        var buffer = ByteBuffer()
        MilterCommand.macro(stage: .recipient, macros: [macro]).encode(into: &buffer)
        var decoder = MilterCommandDecoder()
        #expect(try decoder.decode(buffer: &buffer) == .macro(stage: .recipient, macros: [macro]))
    }

    @Test func ipv6ConnectWithoutPrefixIsAccepted() throws {
        var decoder = MilterCommandDecoder()
        var buffer = Wire.buffer(Wire.packet("C", .cstring("h"), .text("6"), .u16(25), .cstring("::1")))
        #expect(
            try decoder.decode(buffer: &buffer) == .connect(hostname: "h", address: .inet6(address: "::1", port: 25)))
    }
}

private let allCommandCaseNames = [
    "negotiate", "macro", "connect", "helo", "mail", "recipient", "data", "header", "endOfHeader", "body",
    "endOfMessage", "abort", "quit", "quitNewConnection", "unknown",
]

private func caseName(_ command: MilterCommand) -> String {
    switch command {
    case .negotiate: return "negotiate"
    case .macro: return "macro"
    case .connect: return "connect"
    case .helo: return "helo"
    case .mail: return "mail"
    case .recipient: return "recipient"
    case .data: return "data"
    case .header: return "header"
    case .endOfHeader: return "endOfHeader"
    case .body: return "body"
    case .endOfMessage: return "endOfMessage"
    case .abort: return "abort"
    case .quit: return "quit"
    case .quitNewConnection: return "quitNewConnection"
    case .unknown: return "unknown"
    }
}

private let allReplyCaseNames = [
    "negotiate", "continue", "accept", "reject", "temporaryFailure", "discard", "skip", "progress",
    "connectionFailure", "shutdown", "replyCode", "quarantine", "setSymbolList", "addHeader", "insertHeader",
    "changeHeader", "changeFrom", "addRecipient", "deleteRecipient", "replaceBody",
]

private func caseName(_ reply: MilterReply) -> String {
    switch reply {
    case .negotiate: return "negotiate"
    case .continue: return "continue"
    case .accept: return "accept"
    case .reject: return "reject"
    case .temporaryFailure: return "temporaryFailure"
    case .discard: return "discard"
    case .skip: return "skip"
    case .progress: return "progress"
    case .connectionFailure: return "connectionFailure"
    case .shutdown: return "shutdown"
    case .replyCode: return "replyCode"
    case .quarantine: return "quarantine"
    case .setSymbolList: return "setSymbolList"
    case .modification(let modification):
        switch modification {
        case .addHeader: return "addHeader"
        case .insertHeader: return "insertHeader"
        case .changeHeader: return "changeHeader"
        case .changeFrom: return "changeFrom"
        case .addRecipient: return "addRecipient"
        case .deleteRecipient: return "deleteRecipient"
        case .replaceBody: return "replaceBody"
        }
    }
}
