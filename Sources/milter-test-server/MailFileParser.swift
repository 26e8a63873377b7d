import MilterProtocol

/// Reads a message file the way the original milter-test-server does: an mbox `From ` line is
/// skipped; header lines run to the first empty line (continuation lines are joined keeping the
/// file's own `\n` or `\r\n`); the rest is the body, byte for byte.
struct MailFileParser {
    /// What the file holds.
    struct ParsedMail: Hashable {
        /// The headers in order; values without the blank after the colon.
        var headers: HeaderList
        /// The body bytes after the empty line.
        var body: [UInt8]
        /// The path of the first `From:` header (`<...>` part, else first word), if any.
        var envelopeFrom: MilterString?
        /// The path of every `To:` header.
        var recipients: [MilterString]
    }

    /// Why a file could not be used.
    enum ParseError: Error, Hashable, CustomStringConvertible {
        /// A line in the header part that is neither a header nor a continuation.
        case invalidHeader(String)
        /// An address with `<` but no `>`.
        case invalidMailAddress(String)

        var description: String {
            switch self {
            case .invalidHeader(let line): return "invalid header: <\(line)>"
            case .invalidMailAddress(let address): return "invalid mail address: <\(address)>"
            }
        }
    }

    /// Parses the bytes of a message file.
    static func parse(_ contents: [UInt8]) throws(ParseError) -> ParsedMail {
        var position = 0
        func nextLine() -> (line: ArraySlice<UInt8>, hadCR: Bool, nextStart: Int)? {
            guard position < contents.count else { return nil }
            let end = contents[position...].firstIndex(of: UInt8(ascii: "\n")) ?? contents.count
            var line = contents[position..<end]
            let hadCR = line.last == UInt8(ascii: "\r")
            if hadCR { line = line.dropLast() }
            return (line, hadCR, min(end + 1, contents.count))
        }
        if let first = nextLine(), first.line.starts(with: Array("From ".utf8)) { position = first.nextStart }

        var headers = HeaderList()
        while let (line, hadCR, nextStart) = nextLine() {
            position = nextStart
            if line.isEmpty { break }
            if let firstByte = line.first, isAlphanumeric(firstByte), let colon = line.firstIndex(of: UInt8(ascii: ":"))
            {
                let name = MilterString(bytes: line[line.startIndex..<colon])
                let value = line[(colon + 1)...].drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
                headers.append(name: name, value: MilterString(bytes: value))
            } else if let firstByte = line.first, firstByte == UInt8(ascii: " ") || firstByte == UInt8(ascii: "\t"),
                !headers.headers.isEmpty
            {
                let separator: [UInt8] = hadCR ? [13, 10] : [10]
                headers.headers[headers.headers.count - 1].value.bytes += separator + line
            } else {
                throw .invalidHeader(String(decoding: line, as: UTF8.self))
            }
        }
        let body = Array(contents[min(position, contents.count)...])

        var envelopeFrom: MilterString?
        var recipients: [MilterString] = []
        for header in headers.headers {
            if header.name.caseInsensitiveEquals("From"), envelopeFrom == nil {
                envelopeFrom = try path(of: header.value)
            } else if header.name.caseInsensitiveEquals("To") {
                recipients.append(try path(of: header.value))
            }
        }
        return ParsedMail(headers: headers, body: body, envelopeFrom: envelopeFrom, recipients: recipients)
    }

    /// `<...>` part of an address header, else its first word in brackets.
    static func path(of value: MilterString) throws(ParseError) -> MilterString {
        let bytes = value.bytes
        if let open = bytes.firstIndex(of: UInt8(ascii: "<")) {
            guard let close = bytes[open...].firstIndex(of: UInt8(ascii: ">")) else {
                throw .invalidMailAddress(value.string)
            }
            return MilterString(bytes: bytes[open...close])
        }
        let isBlank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == 10 || $0 == 13 }
        let word = bytes.drop(while: isBlank).prefix { !isBlank($0) }
        return MilterString(bytes: [UInt8(ascii: "<")] + word + [UInt8(ascii: ">")])
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
    }
}
