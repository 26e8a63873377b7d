import MilterProtocol
import NIOCore

/// One command with the exact bytes it has on the wire.
struct CommandFixture: CustomStringConvertible, Sendable {
    let name: String
    let command: MilterCommand
    let bytes: [UInt8]
    var description: String { name }
}

/// Every command the MTA sends, as runtime.md §1.2 lays out the bytes.
let commandFixtures: [CommandFixture] = [
    // Postfix 2.5 from the packet traces: version 2, actions 0x13f, protocol 0x7f.
    CommandFixture(
        name: "negotiate (Postfix 2.5 trace)",
        command: .negotiate(
            Negotiation(version: 2, actions: ActionFlags(rawValue: 0x13f), steps: ProtocolFlags(rawValue: 0x7f))),
        bytes: Wire.hex("00 00 00 0d 4f 00000002 0000013f 0000007f")),
    CommandFixture(
        name: "negotiate v6 everything",
        command: .negotiate(Negotiation(version: 6, actions: .all, steps: .all)),
        bytes: Wire.packet("O", .u32(6), .u32(0x1ff), .u32(0x1fffff))),
    CommandFixture(
        name: "macro connect",
        command: .macro(
            stage: .connect,
            macros: [
                Macro(name: "j", value: "mail.example.com"), Macro(name: "{daemon_name}", value: "smtpd"),
                Macro(name: "v", value: "Postfix 2.5.5"),
            ]),
        bytes: Wire.packet(
            "D", .text("C"), .cstring("j"), .cstring("mail.example.com"), .cstring("{daemon_name}"), .cstring("smtpd"),
            .cstring("v"), .cstring("Postfix 2.5.5"))),
    CommandFixture(
        name: "macro helo without pairs", command: .macro(stage: .helo, macros: []),
        bytes: Wire.packet("D", .text("H"))),
    CommandFixture(
        name: "macro empty value", command: .macro(stage: .endOfMessage, macros: [Macro(name: "i", value: "")]),
        bytes: Wire.packet("D", .text("E"), .cstring("i"), .cstring(""))),
    CommandFixture(
        name: "connect inet",
        command: .connect(hostname: "localhost", address: .inet(address: "127.0.0.1", port: 41_234)),
        bytes: Wire.packet("C", .cstring("localhost"), .text("4"), .u16(41_234), .cstring("127.0.0.1"))),
    CommandFixture(
        name: "connect inet6",
        command: .connect(hostname: "mx.example.net", address: .inet6(address: "2001:db8::1", port: 25)),
        bytes: Wire.packet("C", .cstring("mx.example.net"), .text("6"), .u16(25), .cstring("IPv6:2001:db8::1"))),
    CommandFixture(
        name: "connect unix",
        command: .connect(hostname: "localhost", address: .unix(path: "/var/run/smtp.sock")),
        bytes: Wire.packet("C", .cstring("localhost"), .text("L"), .u16(0), .cstring("/var/run/smtp.sock"))),
    CommandFixture(
        name: "connect unknown family",
        command: .connect(hostname: "unknown", address: .unknown),
        bytes: Wire.packet("C", .cstring("unknown"), .text("U"))),
    CommandFixture(name: "helo", command: .helo("delian"), bytes: Wire.packet("H", .cstring("delian"))),
    CommandFixture(
        name: "mail", command: .mail(sender: "<kou@example.com>", arguments: []),
        bytes: Wire.packet("M", .cstring("<kou@example.com>"))),
    CommandFixture(
        name: "mail with ESMTP arguments",
        command: .mail(sender: "<a@example.com>", arguments: ["SIZE=1024", "BODY=8BITMIME"]),
        bytes: Wire.packet("M", .cstring("<a@example.com>"), .cstring("SIZE=1024"), .cstring("BODY=8BITMIME"))),
    CommandFixture(
        name: "recipient", command: .recipient("<b@example.org>", arguments: []),
        bytes: Wire.packet("R", .cstring("<b@example.org>"))),
    CommandFixture(
        name: "recipient with NOTIFY", command: .recipient("<b@example.org>", arguments: ["NOTIFY=NEVER"]),
        bytes: Wire.packet("R", .cstring("<b@example.org>"), .cstring("NOTIFY=NEVER"))),
    CommandFixture(name: "data", command: .data, bytes: Wire.hex("00 00 00 01 54")),
    CommandFixture(
        name: "header", command: .header(name: "From", value: "<kou@example.com>"),
        bytes: Wire.packet("L", .cstring("From"), .cstring("<kou@example.com>"))),
    CommandFixture(
        name: "header empty value", command: .header(name: "X-Empty", value: ""),
        bytes: Wire.packet("L", .cstring("X-Empty"), .cstring(""))),
    CommandFixture(
        name: "header 8-bit value kept byte for byte",
        command: .header(name: "Subject", value: MilterString(bytes: [0x48, 0xE9, 0x6C, 0xE8, 0x6E, 0x65])),
        bytes: Wire.packet("L", .cstring("Subject"), .raw([0x48, 0xE9, 0x6C, 0xE8, 0x6E, 0x65, 0]))),
    CommandFixture(name: "end of header", command: .endOfHeader, bytes: Wire.hex("00 00 00 01 4e")),
    CommandFixture(
        name: "body", command: .body(Wire.buffer(Array("Hello\r\nWorld\r\n".utf8))),
        bytes: Wire.packet("B", .text("Hello\r\nWorld\r\n"))),
    CommandFixture(
        name: "body with NUL bytes", command: .body(Wire.buffer([0x61, 0x00, 0x62])),
        bytes: Wire.packet("B", .raw([0x61, 0x00, 0x62]))),
    CommandFixture(name: "end of message", command: .endOfMessage(ByteBuffer()), bytes: Wire.hex("00 00 00 01 45")),
    CommandFixture(
        name: "end of message with chunk", command: .endOfMessage(Wire.buffer(Array("tail".utf8))),
        bytes: Wire.packet("E", .text("tail"))),
    CommandFixture(name: "abort", command: .abort, bytes: Wire.hex("00 00 00 01 41")),
    CommandFixture(name: "quit", command: .quit, bytes: Wire.hex("00 00 00 01 51")),
    CommandFixture(name: "quit new connection", command: .quitNewConnection, bytes: Wire.hex("00 00 00 01 4b")),
    CommandFixture(
        name: "unknown", command: .unknown("XVERB foo"), bytes: Wire.packet("U", .cstring("XVERB foo"))),
]
