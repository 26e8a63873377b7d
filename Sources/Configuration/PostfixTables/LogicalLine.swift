/// One logical line of a table: continuation lines (starting with blanks) joined, comments and
/// blank lines dropped, with the number of its first physical line.
struct LogicalLine: Hashable, Sendable {
    /// The text, continuation lines appended without their line breaks.
    var text: String
    /// The 1-based line where it starts.
    var line: Int

    /// The logical lines of `text` (postmap's rules: a line starting with whitespace continues
    /// the previous one; empty, blank and `#` lines are skipped). The text must hold no NUL.
    static func split(_ text: String) -> [LogicalLine] {
        var lines: [LogicalLine] = []
        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            var physical = Substring(raw)
            if physical.last == "\r" { physical = physical.dropLast() }
            let trimmed = physical.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.first == "#" { continue }
            if physical.first == " " || physical.first == "\t", !lines.isEmpty {
                lines[lines.count - 1].text += physical
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
