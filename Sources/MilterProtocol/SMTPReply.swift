/// The SMTP reply a milter asks for with `y` (`SMFIR_REPLYCODE`), e.g. `554 5.7.1 Rejected`.
///
/// The text is kept exactly as received so a proxy forwards it unchanged; the code, extended code
/// and message are views of it.
public struct SMTPReply: Hashable, Sendable, CustomStringConvertible {
    /// The reply as on the wire (without the NUL): `NNN[ X.Y.Z][ text]`, possibly several lines.
    public let text: MilterString

    /// Validates wire text: it must start with `4` or `5` and two digits, not followed by a digit.
    public init(validating text: MilterString) throws(SMTPReplyError) {
        let bytes = text.bytes
        guard bytes.count >= 3, bytes[0] == UInt8(ascii: "4") || bytes[0] == UInt8(ascii: "5"),
            Self.isDigit(bytes[1]), Self.isDigit(bytes[2]), bytes.count == 3 || !Self.isDigit(bytes[3])
        else {
            throw .invalidCode(String(decoding: bytes.prefix(3), as: UTF8.self))
        }
        self.text = text
    }

    /// Builds a reply from parts. Each line of `message` (split on `\n`, a trailing `\r` dropped)
    /// becomes `NNN-EXT text`, the last `NNN EXT text`, joined with CRLF.
    /// The code must be 400...599; the extended code `C.S.D` must have the code's class.
    public init(code: Int, extendedCode: String? = nil, message: String? = nil) throws(SMTPReplyError) {
        guard (400...599).contains(code) else { throw .invalidCode(String(code)) }
        if let extendedCode {
            guard let first = Self.extendedCodeClass(extendedCode) else {
                throw .invalidExtendedCode(extendedCode)
            }
            guard first == code / 100 else { throw .classMismatch(code: code, extendedCode: extendedCode) }
        }
        // "\r\n" is one Character in Swift, so both spellings are separators.
        var lines = (message ?? "").split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }.map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        if lines.isEmpty { lines = [""] }
        var rendered: [String] = []
        for (index, line) in lines.enumerated() {
            var out = String(code) + (index == lines.count - 1 ? " " : "-")
            if let extendedCode { out += extendedCode + (line.isEmpty ? "" : " ") }
            out += line
            while out.hasSuffix(" ") { out.removeLast() }
            rendered.append(out)
        }
        self.text = MilterString(rendered.joined(separator: "\r\n"))
    }

    /// The three-digit code.
    public var code: Int {
        let b = text.bytes
        return Int(b[0] - 0x30) * 100 + Int(b[1] - 0x30) * 10 + Int(b[2] - 0x30)
    }

    /// True for 5xx (the MTA rejects), false for 4xx (the MTA tempfails).
    public var isPermanent: Bool { text.bytes[0] == UInt8(ascii: "5") }

    /// The enhanced status code (`5.7.1`) of the first line, when it has one.
    public var extendedCode: String? {
        let first = firstLineTokens
        guard let candidate = first.extended, Self.extendedCodeClass(candidate) != nil else { return nil }
        return candidate
    }

    /// The first line's text after the code and the extended code.
    public var message: String? {
        let first = firstLineTokens
        if let candidate = first.extended, Self.extendedCodeClass(candidate) != nil {
            return first.rest
        }
        guard let extended = first.extended else { return nil }
        return first.rest.map { extended + " " + $0 } ?? extended
    }

    /// The wire text.
    public var description: String { text.string }

    private var firstLineTokens: (extended: String?, rest: String?) {
        let line =
            text.string.split(separator: "\r\n", maxSplits: 1, omittingEmptySubsequences: false).first
            .map(String.init) ?? ""
        let afterCode = line.dropFirst(4)
        guard !afterCode.isEmpty else { return (nil, nil) }
        let parts = afterCode.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
        let extended = parts.first.map(String.init)
        let rest = parts.count > 1 ? String(parts[1]) : nil
        return (extended, rest)
    }

    /// The class digit of a `C.S.D` code (2, 4 or 5), or nil when it is not one.
    static func extendedCodeClass(_ code: String) -> Int? {
        let parts = code.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 1, let first = Int(parts[0]), [2, 4, 5].contains(first),
            (1...3).contains(parts[1].count), (1...3).contains(parts[2].count),
            parts[1].allSatisfy(\.isASCII), parts[2].allSatisfy(\.isASCII),
            Int(parts[1]) != nil, Int(parts[2]) != nil
        else { return nil }
        return first
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
}

/// Why an SMTP reply could not be built or read.
public enum SMTPReplyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The code is not 4XX or 5XX.
    case invalidCode(String)
    /// The extended code is not `C.S.D` with class 2, 4 or 5.
    case invalidExtendedCode(String)
    /// The extended code's class differs from the code's first digit.
    case classMismatch(code: Int, extendedCode: String)

    /// A readable message.
    public var description: String {
        switch self {
        case .invalidCode(let code): return "SMTP reply code <\(code)> should be 4XX or 5XX"
        case .invalidExtendedCode(let ext):
            return "extended code <\(ext)> should be C.S.D with class '2', '4' or '5'"
        case .classMismatch(let code, let ext):
            return "extended code <\(ext)> should use the same class as status code <\(code)>"
        }
    }
}
