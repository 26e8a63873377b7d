import MilterProtocol
import NIOCore

/// The message every session sends: envelope, headers and body chunks, as given on the
/// command line or read from a mail file.
struct MessageTemplate: Sendable, Hashable {
    /// The envelope sender, in angle brackets.
    var envelopeFrom: MilterString
    /// The envelope recipients, each in angle brackets; one `R` each.
    var recipients: [MilterString]
    /// The headers, one `L` each.
    var headers: HeaderList
    /// The body chunks, one `B` each (none longer than `MilterFrame.chunkSize`).
    var bodyChunks: [ByteBuffer]

    /// The default envelope sender.
    static let defaultEnvelopeFrom: MilterString = "<sender@example.com>"
    /// The default envelope recipient.
    static let defaultRecipient: MilterString = "<receiver@example.org>"
    /// The default body: one chunk of four lines, the last without a newline.
    static let defaultBody = "La de da de da 1.\nLa de da de da 2.\nLa de da de da 3.\nLa de da de da 4."

    /// A message; `From:` and `To:` headers are appended when absent.
    init(envelopeFrom: MilterString, recipients: [MilterString], headers: HeaderList, bodyChunks: [ByteBuffer]) {
        self.envelopeFrom = Self.normalizedAddress(envelopeFrom)
        self.recipients = recipients.map(Self.normalizedAddress)
        self.headers = headers
        self.bodyChunks = bodyChunks
        if self.headers.first(named: "From") == nil {
            self.headers.append(name: "From", value: self.envelopeFrom)
        }
        if self.headers.first(named: "To") == nil, let first = self.recipients.first {
            self.headers.append(name: "To", value: first)
        }
    }

    /// The whole original body (the chunks joined).
    var body: [UInt8] {
        var bytes: [UInt8] = []
        for chunk in bodyChunks { bytes += chunk.readableBytesView }
        return bytes
    }

    /// `address` wrapped in `<>` unless it already is.
    static func normalizedAddress(_ address: MilterString) -> MilterString {
        if address.bytes.first == UInt8(ascii: "<") && address.bytes.last == UInt8(ascii: ">") { return address }
        return MilterString(bytes: [UInt8(ascii: "<")] + address.bytes + [UInt8(ascii: ">")])
    }

    /// `address` without surrounding `<>` (the form Postfix puts in `{mail_addr}`/`{rcpt_addr}`).
    static func bareAddress(_ address: MilterString) -> MilterString {
        let bytes = address.bytes
        if bytes.count >= 2, bytes.first == UInt8(ascii: "<"), bytes.last == UInt8(ascii: ">") {
            return MilterString(bytes: bytes.dropFirst().dropLast())
        }
        return address
    }

    /// Splits `text` into chunks of at most `MilterFrame.chunkSize` bytes, cutting after a
    /// newline where one exists in the window.
    static func chunks(of text: [UInt8]) -> [ByteBuffer] {
        var result: [ByteBuffer] = []
        var start = 0
        while start < text.count {
            var end = min(start + MilterFrame.chunkSize, text.count)
            if end < text.count, let newline = text[start..<end].lastIndex(of: UInt8(ascii: "\n")) {
                end = newline + 1
            }
            result.append(ByteBuffer(bytes: text[start..<end]))
            start = end
        }
        return result
    }
}
