import MilterProtocol
import Testing

@testable import milter_test_server

/// `--mail-file`: headers, folding, newline style, envelope from From:/To:, body chunks.
@Suite("Mail files")
struct MailFileParserTests {
    @Test(arguments: ["\n", "\r\n"])
    func headersBodyAndEnvelope(_ newline: String) throws {
        let lines = [
            "From someone@example.com Mon Jan  1 00:00:00 2024", "Return-Path: <xxxx@example.com>",
            "From: Test Sender <test-from@example.com>", "To: test-to@example.com (Someone)",
            "Subject: This is a test mail", "Authentication-Results: mail.example.com;",
            "\tspf=none smtp.mailfrom=test-from@example.com;", "\tdkim=none", "", "Message body", "Message body", "",
        ]
        let parsed = try MailFileParser.parse(Array(lines.joined(separator: newline).utf8))
        #expect(
            parsed.headers.headers.map(\.name.string) == [
                "Return-Path", "From", "To", "Subject", "Authentication-Results",
            ])
        #expect(
            parsed.headers.first(named: "Authentication-Results")?.value.string
                == "mail.example.com;\(newline)\tspf=none smtp.mailfrom=test-from@example.com;\(newline)\tdkim=none")
        #expect(parsed.envelopeFrom == "<test-from@example.com>")
        #expect(parsed.recipients == ["<test-to@example.com>"])
        #expect(parsed.body == Array("Message body\(newline)Message body\(newline)".utf8))
    }

    @Test func foldedAddressHeaders() throws {
        let parsed = try MailFileParser.parse(Array("To:\n <folded@example.com>\nFrom: a\n  <b@example.com>\n\nx".utf8))
        #expect(parsed.recipients == ["<folded@example.com>"])
        #expect(parsed.envelopeFrom == "<b@example.com>")
    }

    @Test func invalidHeaderLine() {
        #expect(throws: MailFileParser.ParseError.invalidHeader("not a header")) {
            try MailFileParser.parse(Array("Subject: x\nnot a header\n\nbody".utf8))
        }
        #expect(throws: MailFileParser.ParseError.invalidMailAddress("<broken")) {
            try MailFileParser.parse(Array("From: <broken\n\nbody".utf8))
        }
    }

    @Test func largeBodiesAreChunkedAtLineBoundaries() {
        let line = Array(repeating: UInt8(ascii: "x"), count: 999) + [10]
        let body = Array([[UInt8]](repeating: line, count: 200).joined())
        let chunks = MessageTemplate.chunks(of: body)
        #expect(chunks.allSatisfy { $0.readableBytes <= 65535 && $0.readableBytesView.last == 10 })
        #expect(chunks.reduce(0) { $0 + $1.readableBytes } == body.count)
        #expect(chunks.count == 4)
    }
}
