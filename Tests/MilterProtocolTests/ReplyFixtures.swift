import MilterProtocol
import NIOCore

/// One reply with the exact bytes it has on the wire.
struct ReplyFixture: CustomStringConvertible, Sendable {
    let name: String
    let reply: MilterReply
    let bytes: [UInt8]
    var description: String { name }
}

private func smtpReply(_ text: String) -> SMTPReply {
    try! SMTPReply(validating: MilterString(text))
}

/// Every reply and modification a milter sends, as runtime.md §1.3 lays out the bytes.
let replyFixtures: [ReplyFixture] = [
    ReplyFixture(
        name: "negotiate (test-milter trace)",
        reply: .negotiate(Negotiation(version: 2, actions: ActionFlags(rawValue: 0x13f), steps: [])),
        bytes: Wire.hex("00 00 00 0d 4f 00000002 0000013f 00000000")),
    ReplyFixture(
        name: "negotiate with symbol lists",
        reply: .negotiate(
            Negotiation(
                version: 6, actions: [.addHeaders, .setSymbolList], steps: [.skip],
                macroRequests: [
                    MacroRequest(stage: .connect, symbols: ["{client_addr}", "j"]),
                    MacroRequest(stage: .endOfMessage, symbols: ["i"]),
                ])),
        bytes: Wire.packet(
            "O", .u32(6), .u32(0x101), .u32(0x400), .u32(0), .cstring("{client_addr} j"), .u32(5), .cstring("i"))),
    ReplyFixture(name: "continue", reply: .continue, bytes: Wire.hex("00 00 00 01 63")),
    ReplyFixture(name: "accept", reply: .accept, bytes: Wire.hex("00 00 00 01 61")),
    ReplyFixture(name: "reject", reply: .reject, bytes: Wire.hex("00 00 00 01 72")),
    ReplyFixture(name: "temporary failure", reply: .temporaryFailure, bytes: Wire.hex("00 00 00 01 74")),
    ReplyFixture(name: "discard", reply: .discard, bytes: Wire.hex("00 00 00 01 64")),
    ReplyFixture(name: "skip", reply: .skip, bytes: Wire.hex("00 00 00 01 73")),
    ReplyFixture(name: "progress", reply: .progress, bytes: Wire.hex("00 00 00 01 70")),
    ReplyFixture(name: "connection failure", reply: .connectionFailure, bytes: Wire.hex("00 00 00 01 66")),
    ReplyFixture(name: "shutdown", reply: .shutdown, bytes: Wire.hex("00 00 00 01 34")),
    ReplyFixture(
        name: "reply code (trace)", reply: .replyCode(smtpReply("554 5.7.1 1% 2%% 3%%%")),
        bytes: Wire.packet("y", .cstring("554 5.7.1 1% 2%% 3%%%"))),
    ReplyFixture(
        name: "reply code 4xx", reply: .replyCode(smtpReply("451 4.7.1 Greylisting")),
        bytes: Wire.packet("y", .cstring("451 4.7.1 Greylisting"))),
    ReplyFixture(
        name: "quarantine", reply: .quarantine(reason: "virus found"),
        bytes: Wire.packet("q", .cstring("virus found"))),
    ReplyFixture(
        name: "set symbol list", reply: .setSymbolList(MacroRequest(stage: .envelopeFrom, symbols: ["{auth_type}"])),
        bytes: Wire.packet("l", .u32(2), .cstring("{auth_type}"))),
    ReplyFixture(
        name: "add header", reply: .modification(.addHeader(name: "X-Virus-Status", value: "Clean")),
        bytes: Wire.packet("h", .cstring("X-Virus-Status"), .cstring("Clean"))),
    ReplyFixture(
        name: "insert header", reply: .modification(.insertHeader(index: 1, name: "X-Ins", value: "v")),
        bytes: Wire.packet("i", .u32(1), .cstring("X-Ins"), .cstring("v"))),
    ReplyFixture(
        name: "change header", reply: .modification(.changeHeader(index: 2, name: "Subject", value: "[SPAM] x")),
        bytes: Wire.packet("m", .u32(2), .cstring("Subject"), .cstring("[SPAM] x"))),
    ReplyFixture(
        name: "delete header (change with empty value)",
        reply: .modification(.changeHeader(index: 1, name: "X-Old", value: "")),
        bytes: Wire.packet("m", .u32(1), .cstring("X-Old"), .cstring(""))),
    ReplyFixture(
        name: "change from", reply: .modification(.changeFrom(sender: "<bounce@example.com>", parameters: nil)),
        bytes: Wire.packet("e", .cstring("<bounce@example.com>"))),
    ReplyFixture(
        name: "change from with parameters",
        reply: .modification(.changeFrom(sender: "<b@example.com>", parameters: "SIZE=100")),
        bytes: Wire.packet("e", .cstring("<b@example.com>"), .cstring("SIZE=100"))),
    ReplyFixture(
        name: "add recipient", reply: .modification(.addRecipient("<c@example.org>", parameters: nil)),
        bytes: Wire.packet("+", .cstring("<c@example.org>"))),
    ReplyFixture(
        name: "add recipient with ESMTP args",
        reply: .modification(.addRecipient("<c@example.org>", parameters: "NOTIFY=NEVER")),
        bytes: Wire.packet("2", .cstring("<c@example.org>"), .cstring("NOTIFY=NEVER"))),
    ReplyFixture(
        name: "delete recipient", reply: .modification(.deleteRecipient("<d@example.org>")),
        bytes: Wire.packet("-", .cstring("<d@example.org>"))),
    ReplyFixture(
        name: "replace body", reply: .modification(.replaceBody(Wire.buffer(Array("new body\r\n".utf8)))),
        bytes: Wire.packet("b", .text("new body\r\n"))),
]
