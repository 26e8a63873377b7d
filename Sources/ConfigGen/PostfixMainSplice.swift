import MilterProtocol
import MilterSupport

/// main.cf as bytes, line by line, for an edit that changes nothing but the milter parameters.
///
/// Augeas works on C strings: a NUL byte would end the file early, and other bytes may not come
/// back as they were. So Augeas edits a sanitised copy (`sanitisedText`: one line per line of the
/// file, CR before LF removed, every control character other than a tab and every byte that is
/// not UTF-8 replaced by `?`), and `splice` takes from Augeas's result only the lines it changed:
/// every other line is copied from the original bytes, with its own line end. A line that
/// belongs to a parameter the edit sets and that had to be sanitised is refused
/// (`unsafeLine(owners:)`), and the splice refuses any change Augeas made to a line that does not
/// belong to one of those parameters.
struct PostfixMainSplice {
    /// One line of the file.
    struct Line {
        /// The bytes without the line end.
        var content: ArraySlice<UInt8>
        /// `\r\n`, `\n`, or nothing for a last line without a newline.
        var ending: [UInt8]
        /// The content as Augeas sees it.
        var sanitised: String
        /// What sanitising replaced (nil: nothing).
        var replaced: String?
    }

    /// The file's lines.
    let lines: [Line]

    /// The lines of `bytes`.
    init(_ bytes: [UInt8]) {
        var lines: [Line] = []
        var start = 0
        var index = 0
        while index <= bytes.count {
            guard index == bytes.count || bytes[index] == UInt8(ascii: "\n") else {
                index += 1
                continue
            }
            if index == bytes.count && start == index { break }
            var end = index
            var ending: [UInt8] = index < bytes.count ? [UInt8(ascii: "\n")] : []
            if index < bytes.count && end > start && bytes[end - 1] == UInt8(ascii: "\r") {
                end -= 1
                ending = [UInt8(ascii: "\r"), UInt8(ascii: "\n")]
            }
            let (sanitised, replaced) = Self.sanitise(bytes[start..<end])
            lines.append(Line(content: bytes[start..<end], ending: ending, sanitised: sanitised, replaced: replaced))
            index += 1
            start = index
        }
        self.lines = lines
    }

    /// The text Augeas parses: the sanitised lines, each ending in `\n`.
    var sanitisedText: String {
        lines.map { $0.sanitised + "\n" }.joined()
    }

    /// The line end most lines have (`\r\n` or `\n`), for lines the edit adds.
    var dominantEnding: [UInt8] {
        let crlf = lines.filter { $0.ending.count == 2 }.count
        let lf = lines.filter { $0.ending.count == 1 }.count
        return crlf > lf ? [UInt8(ascii: "\r"), UInt8(ascii: "\n")] : [UInt8(ascii: "\n")]
    }

    /// The first line (0-based index and what was replaced) that belongs to one of `names`
    /// and had to be sanitised: such a line cannot be edited safely.
    func unsafeLine(owners names: Set<String>) -> (index: Int, replaced: String)? {
        let owners = Self.owners(of: lines.map(\.sanitised))
        for (index, line) in lines.enumerated() {
            if let replaced = line.replaced, let owner = owners[index], names.contains(owner) {
                return (index, replaced)
            }
        }
        return nil
    }

    /// Why a splice was refused: the 1-based line (of the original file, or of Augeas's
    /// result for an added line) Augeas changed although it belongs to no parameter the edit
    /// sets, and that line's text.
    struct OutsideChange: Error {
        var line: Int
        var text: String
        var added: Bool
    }

    /// The original bytes with the changes Augeas made in `edited` (the text it rendered from
    /// `sanitisedText`), provided that every changed line belongs to one of `names`.
    func splice(edited: String, names: Set<String>) throws(OutsideChange) -> [UInt8] {
        let old = lines.map(\.sanitised)
        // `edited` comes from the sanitised text and values without control characters: no CR
        // that would make CRLF one `Character`.
        var new = edited.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if new.last == "" { new.removeLast() }
        let oldOwners = Self.owners(of: old)
        let newOwners = Self.owners(of: new)
        var output: [UInt8] = []
        var deletedEndings: [[UInt8]] = []
        let script = UnifiedDiff.edits(old, new)
        let lastOutput = script.lastIndex { edit in
            if case .delete = edit { return false }
            return true
        }
        for (position, edit) in script.enumerated() {
            let isLastOutput = position == lastOutput
            switch edit {
            case .keep(let index, _):
                deletedEndings = []
                let line = lines[index]
                output += line.content
                output += line.ending.isEmpty && !isLastOutput ? ending(closing: line) : line.ending
            case .delete(let index):
                guard let owner = oldOwners[index], names.contains(owner) else {
                    throw OutsideChange(line: index + 1, text: old[index], added: false)
                }
                deletedEndings.append(lines[index].ending)
            case .insert(let index):
                guard let owner = newOwners[index], names.contains(owner) else {
                    throw OutsideChange(line: index + 1, text: new[index], added: true)
                }
                output += Array(new[index].utf8)
                let ending = deletedEndings.isEmpty ? dominantEnding : deletedEndings.removeFirst()
                output += ending.isEmpty && !isLastOutput ? dominantEnding : ending
            }
        }
        return output
    }

    /// The line end added to a last line that had none, so that lines can follow it: the
    /// dominant one, or CRLF when the line ends in CR (a lone `\n` would turn that CR into
    /// the line end and change the line).
    func ending(closing line: Line) -> [UInt8] {
        line.content.last == UInt8(ascii: "\r") ? [UInt8(ascii: "\r"), UInt8(ascii: "\n")] : dominantEnding
    }

    /// For each line, the parameter it belongs to: its own name for `name = value`, the
    /// entry's for a continuation line (it starts with a blank), nil for blank lines, comments
    /// and anything else. A comment does not end an entry; a blank line does.
    static func owners(of lines: [String]) -> [String?] {
        var current: String?
        return lines.map { line in
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty {
                current = nil
                return nil
            }
            if trimmed.first == "#" { return nil }
            if trimmed.count < line.count { return current }
            let name = line.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }
            let rest = line.dropFirst(name.count).drop { $0 == " " || $0 == "\t" }
            current = !name.isEmpty && rest.first == "=" ? String(name) : nil
            return current
        }
    }

    /// The line as Augeas may see it, and what had to be replaced (nil: nothing).
    static func sanitise(_ bytes: ArraySlice<UInt8>) -> (String, String?) {
        var text = ""
        var replaced: String?
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        decoding: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if ControlCharacters.isControl(scalar) && scalar != "\t" {
                    replaced = replaced ?? (scalar == "\0" ? "a NUL byte" : "a control character")
                    text += "?"
                } else {
                    text.unicodeScalars.append(scalar)
                }
            case .error:
                replaced = replaced ?? "bytes that are not UTF-8"
                text += "?"
            case .emptyInput:
                break decoding
            }
        }
        return (text, replaced)
    }
}
