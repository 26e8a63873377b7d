/// Finds `NAME=VALUE` assignments in shell scripts and shell-variable files (sysconfig,
/// default, rc.conf, EnvironmentFile) line by line, the way the original detector does:
/// control flow is ignored (the textually last assignment wins), the first assignment on a
/// line counts, a comment starts at a `#` that begins a word. A quoted value may span lines,
/// as in the shell; a quote that is never closed makes that one assignment malformed (its
/// `problem` says so) and the following lines are read as usual. One linear pass.
struct ShellAssignmentScanner {
    /// One assignment found.
    struct Assignment: Hashable {
        /// The variable name.
        var name: String
        /// The value as written (quotes kept).
        var raw: String
        /// 1-based line.
        var line: Int
        /// What is wrong with the value (an unclosed quote), nil when it is well formed.
        var problem: String? = nil
    }

    /// Whether names may contain lower-case letters (RedHat scripts, rc.d scripts) or only
    /// upper-case ones (Debian scripts, systemd environment files).
    var allowsLowercase: Bool

    /// Every assignment in `text`, in order.
    func assignments(in text: String) -> [Assignment] {
        let lines = text.lines()
        var result: [Assignment] = []
        var unclosedFrom: [Character: Int] = [:]  // no closing quote from this line on
        var index = 0
        while index < lines.count {
            let characters = Array(stripComment(lines[index]))
            defer { index += 1 }
            guard var found = firstAssignment(in: characters, line: index + 1) else { continue }
            if let quote = Self.unclosedQuote(found.raw) {
                if let (closingLine, rest) = closing(quote, in: lines, after: index, unclosedFrom: &unclosedFrom) {
                    found.raw += "\n" + lines[(index + 1)..<closingLine].map { $0 + "\n" }.joined() + rest
                    index = closingLine
                } else {
                    found.raw = String(found.raw.dropFirst())
                    found.problem = "its \(quote) quote is never closed"
                }
            }
            result.append(found)
        }
        return result
    }

    /// The opening quote of `raw` when the value is a quoted string not closed on its line.
    private static func unclosedQuote(_ raw: String) -> Character? {
        guard let first = raw.first, first == "\"" || first == "'" else { return nil }
        var escaped = false
        for character in raw.dropFirst() {
            if escaped {
                escaped = false
            } else if character == "\\" && first == "\"" {
                escaped = true
            } else if character == first {
                return nil
            }
        }
        return first
    }

    /// The line closing a `quote` opened on line `index`, and that line up to and including
    /// the quote; nil when no later line closes it. `unclosedFrom` remembers failed searches,
    /// so that many unclosed quotes still cost one pass.
    private func closing(
        _ quote: Character, in lines: [Substring], after index: Int, unclosedFrom: inout [Character: Int]
    ) -> (Int, String)? {
        let start = index + 1
        if let known = unclosedFrom[quote], known <= start { return nil }
        for candidate in start..<lines.count {
            var escaped = false
            for position in lines[candidate].indices {
                let character = lines[candidate][position]
                if escaped {
                    escaped = false
                } else if character == "\\" && quote == "\"" {
                    escaped = true
                } else if character == quote {
                    return (candidate, String(lines[candidate][...position]))
                }
            }
        }
        unclosedFrom[quote] = start
        return nil
    }

    private func firstAssignment(in characters: [Character], line: Int) -> Assignment? {
        var start = 0
        while start < characters.count {
            let atBoundary = start == 0 || Self.boundaries.contains(characters[start - 1])
            if atBoundary, isNameCharacter(characters[start]) {
                var end = start
                while end < characters.count, isNameCharacter(characters[end]) { end += 1 }
                if end < characters.count, characters[end] == "=" {
                    return Assignment(
                        name: String(characters[start..<end]), raw: value(characters, from: end + 1), line: line)
                }
                start = end
                continue
            }
            start += 1
        }
        return nil
    }

    // A double-quoted string (shortest), a single-quoted string (the rest of the line when it
    // is not closed there), or a run of non-blank characters up to a command separator.
    private func value(_ characters: [Character], from start: Int) -> String {
        guard start < characters.count else { return "" }
        let first = characters[start]
        if first == "\"" || first == "'" {
            var position = start + 1
            while position < characters.count {
                if characters[position] == "\\" && first == "\"" {
                    position += 2
                    continue
                }
                if characters[position] == first { return String(characters[start...position]) }
                position += 1
            }
            return String(characters[start...])  // closed on a later line, or never
        }
        var end = start
        while end < characters.count, !Self.valueTerminators.contains(characters[end]) { end += 1 }
        return String(characters[start..<end])
    }

    private func isNameCharacter(_ character: Character) -> Bool {
        guard character.isASCII else { return false }
        if character == "_" || character.isNumber || character.isUppercase { return true }
        return allowsLowercase && character.isLowercase
    }

    /// The line up to a `#` that begins a word outside quotes.
    private func stripComment(_ line: Substring) -> Substring {
        var quote: Character?
        var previous: Character = " "
        for index in line.indices {
            let character = line[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "#", previous == " " || previous == "\t" || previous == ";" {
                return line[..<index]
            }
            previous = character
        }
        return line
    }

    private static let boundaries: Set<Character> = [" ", "\t", ";", "&", "|", "(", "{", "`"]
    private static let valueTerminators: Set<Character> = [" ", "\t", ";", "&", "|", ")", "`"]
}
