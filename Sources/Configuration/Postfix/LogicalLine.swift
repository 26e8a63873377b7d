/// One logical line of a Postfix file (a lookup table, main.cf, master.cf): continuation lines
/// (starting with blanks) joined, comments and blank lines dropped, with the number of its first
/// physical line. Every reader of Postfix's files splits them here.
struct LogicalLine: Hashable, Sendable {
    /// The text, continuation lines appended without their line breaks.
    var text: String
    /// The 1-based line where it starts.
    var line: Int

    /// The logical lines of `text` (Postfix's `readlline`: a line starting with whitespace
    /// continues the previous one, and is skipped when there is none; empty, blank and `#`
    /// lines are skipped). Lines end at `\n`,
    /// a CR before it dropped (taken scalar by scalar: a `Character` would make CR LF one).
    /// The text must hold no NUL.
    static func split(_ text: String) -> [LogicalLine] {
        var lines: [LogicalLine] = []
        var number = 0
        for raw in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            var physical = Substring(raw)
            if physical.last == "\r" { physical = physical.dropLast() }
            let trimmed = physical.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.first == "#" { continue }
            if physical.first == " " || physical.first == "\t" {
                // Postfix skips a continuation with nothing to continue ("logical line must
                // not start with whitespace").
                if !lines.isEmpty { lines[lines.count - 1].text += physical }
            } else {
                lines.append(LogicalLine(text: String(trimmed), line: number))
            }
        }
        for index in lines.indices {
            while let last = lines[index].text.last, last == " " || last == "\t" { lines[index].text.removeLast() }
        }
        return lines
    }

    /// The first blank-separated word and the rest with leading blanks removed.
    var keyAndRest: (key: String, rest: String) {
        guard let blank = text.firstIndex(where: { $0 == " " || $0 == "\t" }) else { return (text, "") }
        let rest = text[blank...].drop { $0 == " " || $0 == "\t" }
        return (String(text[..<blank]), String(rest))
    }
}
