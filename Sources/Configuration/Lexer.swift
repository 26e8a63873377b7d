/// Splits configuration text into tokens: Ruby's literals (strings with escapes, integers
/// including `0660` octal, floats, regexes, symbols), names, punctuation and line ends.
/// Comments are dropped, except that a provenance comment (`# default`, `# FILE:LINE`,
/// `# detected: FILE:LINE`, `# command line`) on its own line is attached to the first token
/// of the next line.
struct Lexer {
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var line = 1
    private var lineStart = 0
    private var tokens: [Token] = []
    private var pendingAnnotation: (provenance: Provenance, line: Int)?
    private var sawSpace = false
    private var lastTokenLine = 0

    /// A lexer over `text`.
    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    /// Every token, ending with `.endOfFile`.
    static func tokenize(_ text: String) -> [Token] {
        var lexer = Lexer(text)
        lexer.run()
        return lexer.tokens
    }

    private var current: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }
    private func peek(_ offset: Int = 1) -> Unicode.Scalar? {
        index + offset < scalars.count ? scalars[index + offset] : nil
    }
    private var column: Int { index - lineStart + 1 }

    private mutating func run() {
        while let scalar = current {
            let startColumn = column
            switch scalar {
            case " ", "\t", "\r":
                index += 1
                sawSpace = true
            case "\\" where peek() == "\n":
                // A continuation: the backslash and the newline both go (the line is joined to
                // the next one, and counted once).
                index += 2
                newLine()
                sawSpace = true
            case "\n":
                emit(.newline, column: startColumn)
                index += 1
                newLine()
            case "#":
                comment()
            case "=" where startColumn == 1 && matches("=begin"):
                blockComment()
            case "\"", "'":
                emit(string(quote: scalar), column: startColumn)
            case "/" where regexAllowed():
                emit(regex(), column: startColumn)
            case "0"..."9":
                emit(number(), column: startColumn)
            case ":":
                emit(colon(), column: startColumn)
            default:
                if Self.isNameStart(scalar) {
                    emit(name(), column: startColumn)
                } else {
                    emit(punctuation(), column: startColumn)
                }
            }
        }
        emit(.endOfFile, column: column)
    }

    private mutating func newLine() {
        line += 1
        lineStart = index
        sawSpace = false
    }

    private mutating func emit(_ kind: Token.Kind, column: Int) {
        var annotation: Provenance?
        let startsLine = lastTokenLine != line
        if startsLine, kind != .newline, let pending = pendingAnnotation, pending.line == line - 1 {
            annotation = pending.provenance
        }
        if kind != .newline { pendingAnnotation = nil }
        tokens.append(Token(kind: kind, line: line, column: column, spaceBefore: sawSpace, annotation: annotation))
        if kind != .newline { lastTokenLine = line }
        sawSpace = false
    }

    private func matches(_ text: String) -> Bool {
        for (offset, scalar) in text.unicodeScalars.enumerated() where peek(offset) != scalar { return false }
        return true
    }

    // MARK: comments

    private mutating func comment() {
        let ownLine = lastTokenLine != line
        let start = index + 1
        while let scalar = current, scalar != "\n" { index += 1 }
        guard ownLine else { return }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars[start..<index])
        if let provenance = Provenance(annotation: Substring(String(text))) {
            pendingAnnotation = (provenance, line)
        } else {
            pendingAnnotation = nil
        }
    }

    /// `=begin` ... `=end` at the start of lines.
    private mutating func blockComment() {
        while current != nil {
            while let scalar = current, scalar != "\n" { index += 1 }
            guard current == "\n" else { return }
            index += 1
            newLine()
            if matches("=end") {
                while let scalar = current, scalar != "\n" { index += 1 }
                return
            }
        }
    }

    // MARK: names and punctuation

    static func isNameStart(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || scalar.value > 0x7F
    }

    static func isNameContinue(_ scalar: Unicode.Scalar) -> Bool {
        isNameStart(scalar) || (scalar >= "0" && scalar <= "9")
    }

    private static let keywords: Set<String> = [
        "alias", "and", "begin", "BEGIN", "break", "case", "class", "def", "defined?", "else", "elsif", "END",
        "ensure", "for", "if", "in", "module", "next", "not", "or", "redo", "rescue", "retry", "return", "self",
        "super", "then", "undef", "unless", "until", "when", "while", "yield", "__FILE__", "__LINE__", "__dir__",
    ]

    private mutating func name() -> Token.Kind {
        let start = index
        while let scalar = current, Self.isNameContinue(scalar) { index += 1 }
        if let scalar = current, scalar == "?" || scalar == "!", peek() != "=" { index += 1 }
        let text = text(from: start)
        if current == ":", peek() != ":", let first = text.unicodeScalars.first, !(first >= "A" && first <= "Z") {
            index += 1
            return .label(text)
        }
        switch text {
        case "do": return .doKeyword
        case "end": return .endKeyword
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "nil": return .nilKeyword
        default:
            if Self.keywords.contains(text) { return .keyword(text) }
            if let first = text.unicodeScalars.first, first >= "A" && first <= "Z" { return .constant(text) }
            return .identifier(text)
        }
    }

    private mutating func colon() -> Token.Kind {
        if peek() == ":" {
            index += 2
            return .operatorSymbol("::")
        }
        if let next = peek(), Self.isNameStart(next) {
            index += 1
            let start = index
            while let scalar = current, Self.isNameContinue(scalar) { index += 1 }
            if let scalar = current, scalar == "?" || scalar == "!" || scalar == "=" { index += 1 }
            return .symbol(text(from: start))
        }
        if let next = peek(), next == "\"" || next == "'" {
            index += 1
            if case .string(let name) = string(quote: next) { return .symbol(name) }
            return .invalid(.unterminatedString)
        }
        index += 1
        return .operatorSymbol(":")
    }

    private static let punctuationMarks: [String] = [
        "=>", "+=", "==", "!=", "=~", "!~", "<=", ">=", "&&", "||", "<<", ">>", "**", "-=", "*=", "/=", "||=",
        "&&=", "..", "...", "->",
    ].sorted { $0.count > $1.count }

    private mutating func punctuation() -> Token.Kind {
        for mark in Self.punctuationMarks where matches(mark) {
            index += mark.unicodeScalars.count
            return mark == "=>" || mark == "+=" ? .punctuation(mark) : .operatorSymbol(mark)
        }
        let scalar = current!
        index += 1
        switch scalar {
        case ".", ",", "(", ")", "[", "]", "{", "}", "|", "=", ";": return .punctuation(String(scalar))
        default: return .operatorSymbol(String(scalar))
        }
    }

    private func text(from start: Int) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[start..<index])
        return String(view)
    }

    // MARK: numbers

    private mutating func number() -> Token.Kind {
        let start = index
        var radix = 10
        if current == "0", let next = peek(), "xXoObB".unicodeScalars.contains(next) {
            radix = next == "x" || next == "X" ? 16 : next == "b" || next == "B" ? 2 : 8
            index += 2
        } else if current == "0", let next = peek(), next >= "0" && next <= "9" || next == "_" {
            radix = 8
            index += 1
        }
        let digitsStart = index
        while let scalar = current, scalar == "_" || Self.isDigit(scalar, radix: radix) { index += 1 }
        var isFloat = false
        if radix == 10, current == ".", let next = peek(), next >= "0" && next <= "9" {
            isFloat = true
            index += 1
            while let scalar = current, scalar == "_" || (scalar >= "0" && scalar <= "9") { index += 1 }
        }
        if radix == 10, let scalar = current, scalar == "e" || scalar == "E" {
            let sign = peek() == "+" || peek() == "-" ? 1 : 0
            if let digit = peek(1 + sign), digit >= "0" && digit <= "9" {
                isFloat = true
                index += 1 + sign
                while let scalar = current, scalar >= "0" && scalar <= "9" { index += 1 }
            }
        }
        if let scalar = current, Self.isNameContinue(scalar) {
            while let scalar = current, Self.isNameContinue(scalar) { index += 1 }
            return .invalid(.unexpectedToken(expected: "a number", found: "\"\(text(from: start))\""))
        }
        let digits = text(from: digitsStart).filter { $0 != "_" }
        if isFloat {
            guard let value = Double(digits), value.isFinite else {
                return .invalid(.unexpectedToken(expected: "a number", found: "\"\(text(from: start))\""))
            }
            return .float(value)
        }
        if digits.isEmpty && radix == 8 { return .integer(0) }
        guard let value = Int(digits, radix: radix) else {
            return .invalid(.unexpectedToken(expected: "a number", found: "\"\(text(from: start))\""))
        }
        return .integer(value)
    }

    private static func isDigit(_ scalar: Unicode.Scalar, radix: Int) -> Bool {
        switch radix {
        case 2: return scalar == "0" || scalar == "1"
        case 8: return scalar >= "0" && scalar <= "7"
        case 16:
            return (scalar >= "0" && scalar <= "9") || (scalar >= "a" && scalar <= "f")
                || (scalar >= "A" && scalar <= "F")
        default: return scalar >= "0" && scalar <= "9"
        }
    }

    // MARK: strings and regexes

    private mutating func string(quote: Unicode.Scalar) -> Token.Kind {
        index += 1
        var result = String.UnicodeScalarView()
        while let scalar = current {
            if scalar == "\n" { break }
            index += 1
            if scalar == quote { return .string(String(result)) }
            if quote == "\"" && scalar == "#", let next = current, next == "{" || next == "$" || next == "@" {
                skipRestOfString(quote: quote)
                let shown = next == "{" ? "#{...}" : "#\(next)..."
                return .invalid(
                    .unsupportedConstruct(
                        "string interpolation \"\(shown)\"", hint: "write the value out, or escape it as \\#\(next)"))
            }
            guard scalar == "\\" else {
                result.append(scalar)
                continue
            }
            guard let escaped = current, escaped != "\n" else { break }
            index += 1
            if quote == "'" {
                if escaped != "\\" && escaped != "'" { result.append("\\") }
                result.append(escaped)
            } else {
                result.append(contentsOf: escape(escaped).unicodeScalars)
            }
        }
        return .invalid(.unterminatedString)
    }

    private mutating func skipRestOfString(quote: Unicode.Scalar) {
        while let scalar = current, scalar != "\n" {
            index += 1
            if scalar == "\\" && current != "\n" {
                index += 1
            } else if scalar == quote {
                return
            }
        }
    }

    /// The text of a double-quoted escape whose character after `\` is `escaped`.
    private mutating func escape(_ escaped: Unicode.Scalar) -> String {
        switch escaped {
        case "n": return "\n"
        case "t": return "\t"
        case "r": return "\r"
        case "e": return "\u{1B}"
        case "s": return " "
        case "a": return "\u{07}"
        case "b": return "\u{08}"
        case "v": return "\u{0B}"
        case "f": return "\u{0C}"
        case "0"..."7":
            var value = escaped.value - 48
            for _ in 0..<2 {
                guard let next = current, next >= "0" && next <= "7" else { break }
                value = value * 8 + next.value - 48
                index += 1
            }
            return Unicode.Scalar(value).map { String($0) } ?? ""
        case "x":
            return hexEscape(maxDigits: 2)
        case "u":
            if current == "{" {
                index += 1
                var text = ""
                while let next = current, next != "}" && next != "\n" {
                    text.unicodeScalars.append(next)
                    index += 1
                }
                if current == "}" { index += 1 }
                return text.split(separator: " ").compactMap { UInt32($0, radix: 16).flatMap(Unicode.Scalar.init) }
                    .map { String($0) }.joined()
            }
            return hexEscape(maxDigits: 4)
        default:
            return String(escaped)
        }
    }

    private mutating func hexEscape(maxDigits: Int) -> String {
        var value: UInt32 = 0
        for _ in 0..<maxDigits {
            guard let next = current, Self.isDigit(next, radix: 16) else { break }
            value = value * 16 + UInt32(String(next), radix: 16)!
            index += 1
        }
        return Unicode.Scalar(value).map { String($0) } ?? ""
    }

    /// A `/` starts a regex unless it follows a value (`a / b`); after a name with a blank
    /// before and none after (`add_whitelist /re/`) it is a regex too, as in Ruby.
    private func regexAllowed() -> Bool {
        guard let last = tokens.last, last.line == line else { return true }
        switch last.kind {
        case .identifier:
            return sawSpace && peek() != " "
        case .integer, .float, .string, .regex, .symbol, .constant, .bool, .nilKeyword, .endKeyword:
            return false
        case .punctuation(let mark):
            return mark != ")" && mark != "]" && mark != "}"
        case .keyword, .doKeyword, .label, .operatorSymbol, .newline, .invalid, .endOfFile:
            return true
        }
    }

    private mutating func regex() -> Token.Kind {
        index += 1
        var source = String.UnicodeScalarView()
        var inClass = false
        while let scalar = current, scalar != "\n" {
            index += 1
            if scalar == "\\" {
                guard let next = current, next != "\n" else { break }
                source.append(scalar)
                source.append(next)
                index += 1
                continue
            }
            if scalar == "#" && current == "{" {
                while let next = current, next != "\n" { index += 1 }
                return .invalid(.unsupportedConstruct("regex interpolation \"#{...}\"", hint: "write the pattern out"))
            }
            if scalar == "[" { inClass = true }
            if scalar == "]" { inClass = false }
            if scalar == "/" && !inClass {
                var regex = RubyRegex(source: String(source))
                while let flag = current, Self.isNameContinue(flag) {
                    index += 1
                    switch flag {
                    case "i": regex.ignoreCase = true
                    case "m": regex.multiline = true
                    case "x": regex.extended = true
                    default:
                        return .invalid(
                            .unsupportedConstruct(
                                "regular expression flag \"\(flag)\"", hint: "only the i, m and x flags are supported"))
                    }
                }
                return .regex(regex)
            }
            source.append(scalar)
        }
        return .invalid(.unterminatedRegex)
    }
}
