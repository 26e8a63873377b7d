import MilterProtocol
import MilterSupport

/// Renders one session's result exactly as runtime.md §4.2 shows it:
///
///     status: <STATUS>[ [<code>]<<ext>>(<message>)]
///     [error: <one-line reason>]            (only when the session failed; exit status 1)
///     elapsed-time: <%g> seconds
///     [Quarantine reason: <REASON>]
///
/// and, with `--output-message`, an empty line and the Envelope/Header/Body blocks with the
/// `  ` / `- ` / `+ ` line prefixes.
struct ResultPrinter: Sendable {
    /// Red/green `-`/`+` lines.
    var color: Bool = false
    /// Print the changed message.
    var outputMessage: Bool = false

    private static let red = "\u{1B}[01;31m"
    private static let green = "\u{1B}[01;32m"
    private static let normal = "\u{1B}[00m"

    /// The status line, without newline.
    static func statusLine(_ outcome: SessionOutcome) -> String {
        var line = "status: " + outcome.status.word
        if let reply = outcome.reply {
            line += " [\(reply.code)]<\(reply.extendedCode ?? "(null)")>(\(reply.message ?? "(null)"))"
        }
        return line
    }

    /// Everything printed for one session, as bytes (a replaced body may not be UTF-8).
    func render(_ report: SessionReport) -> [UInt8] {
        let outcome = report.outcome
        var text = Self.statusLine(outcome) + "\n"
        if let failure = outcome.failure { text += "error: \(failure.description)\n" }
        text += "elapsed-time: \(CFormat.g(report.elapsed)) seconds\n"
        if let reason = outcome.quarantineReason { text += "Quarantine reason: <\(reason.string)>\n" }
        var bytes = Array(text.utf8)
        if outputMessage, outcome.failure == nil, let message = outcome.message {
            bytes += Array("\n".utf8)
            bytes += render(message)
        }
        return bytes
    }

    /// The Envelope, Header and Body blocks.
    func render(_ message: MessageCopy) -> [UInt8] {
        var out: [UInt8] = []
        func line(_ prefix: Character, _ text: [UInt8]) {
            let colored = color && prefix != " "
            if colored { out += Array((prefix == "+" ? Self.green : Self.red).utf8) }
            out += Array("\(prefix) ".utf8) + text
            if colored { out += Array(Self.normal.utf8) }
            out.append(10)
        }
        out += Array("Envelope:------------------------------\n".utf8)
        if message.originalEnvelopeFrom == message.envelopeFrom {
            line(" ", Array("MAIL FROM:".utf8) + message.envelopeFrom.bytes)
        } else {
            line("-", Array("MAIL FROM:".utf8) + message.originalEnvelopeFrom.bytes)
            line("+", Array("MAIL FROM:".utf8) + message.envelopeFrom.bytes)
        }
        for entry in SequenceDiff.diff(message.originalRecipients, message.recipients) {
            switch entry {
            case .same(let recipient): line(" ", Array("RCPT TO:".utf8) + recipient.bytes)
            case .removed(let recipient): line("-", Array("RCPT TO:".utf8) + recipient.bytes)
            case .added(let recipient): line("+", Array("RCPT TO:".utf8) + recipient.bytes)
            }
        }
        out += Array("Header:--------------------------------\n".utf8)
        for entry in SequenceDiff.diff(message.originalHeaders.headers, message.headers.headers) {
            switch entry {
            case .same(let header): headerLines(" ", header, line)
            case .removed(let header): headerLines("-", header, line)
            case .added(let header): headerLines("+", header, line)
            }
        }
        out += Array("Body:----------------------------------\n".utf8)
        var body = message.body
        if let contentType = message.headers.first(named: "Content-Type"),
            let charset = CharsetConverter.charset(ofContentType: contentType.value)
        {
            do {
                body = try CharsetConverter.toUTF8(body, from: charset)
            } catch {
                out += Array("Error:---------------------------------\n\(error.description)\n".utf8)
                out += Array("---------------------------------------\n".utf8)
            }
        }
        out += body
        out.append(10)
        return out
    }

    /// A header as `Name: first line`, then each further line of the value on its own line.
    private func headerLines(_ prefix: Character, _ header: Header, _ line: (Character, [UInt8]) -> Void) {
        let lines = header.value.bytes.split(separator: 10, omittingEmptySubsequences: false).map { part in
            part.last == 13 ? Array(part.dropLast()) : Array(part)
        }
        if header.value.isEmpty {
            line(prefix, header.name.bytes + Array(":".utf8))
            return
        }
        line(prefix, header.name.bytes + Array(": ".utf8) + lines[0])
        for continuation in lines.dropFirst() { line(prefix, continuation) }
    }
}
