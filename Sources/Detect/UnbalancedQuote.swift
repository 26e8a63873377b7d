/// Finds where a quote that broke a shell-variables file was opened: with quoted values
/// allowed to span lines, an unbalanced quote makes the parser fail several lines later.
enum UnbalancedQuote {
    /// The line a double or single quote was opened on, when the parse error at
    /// (`line`, `column`, both 1-based) is inside, or right after, a quoted value that began
    /// on an earlier line; nil otherwise.
    static func openingLine(in text: String, errorLine line: Int, errorColumn column: Int) -> Int? {
        var open: (character: Character, line: Int)?
        var lastSpan: (open: Int, close: Int)?
        for (index, lineText) in text.lines().enumerated() {
            let number = index + 1
            guard number <= line else { break }
            var escaped = false
            var atLineStart = true
            for (offset, character) in lineText.enumerated() {
                if number == line && offset + 1 >= column { break }
                if open == nil && atLineStart && character == "#" { break }
                if character != " " && character != "\t" { atLineStart = false }
                if escaped {
                    escaped = false
                } else if character == "\\" && open?.character != "'" {
                    escaped = true
                } else if let current = open, character == current.character {
                    lastSpan = (current.line, number)
                    open = nil
                } else if open == nil && (character == "\"" || character == "'") {
                    open = (character, number)
                } else if open == nil && character == "#" && offset > 0 {
                    break
                }
            }
        }
        if let open, open.line < line { return open.line }
        if let lastSpan, lastSpan.close == line, lastSpan.open < line { return lastSpan.open }
        return nil
    }
}
