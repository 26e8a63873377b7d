/// Finds `NAME=VALUE` assignments in shell scripts line by line, the way the original
/// detector does: control flow is ignored (the textually last assignment wins), the first
/// assignment on a line counts, a comment starts at a `#` that begins a word.
struct ShellAssignmentScanner {
    /// One assignment found.
    struct Assignment: Hashable {
        /// The variable name.
        var name: String
        /// The value as written (quotes kept).
        var raw: String
        /// 1-based line.
        var line: Int
    }

    /// Whether names may contain lower-case letters (RedHat scripts, rc.d scripts) or only
    /// upper-case ones (Debian scripts, systemd environment files).
    var allowsLowercase: Bool

    /// Every assignment in `text`, in order.
    func assignments(in text: String) -> [Assignment] {
        var result: [Assignment] = []
        for (index, line) in text.lines().enumerated() {
            if let found = firstAssignment(in: Array(stripComment(line)), line: index + 1) { result.append(found) }
        }
        return result
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

    // A double-quoted string (shortest), a single-quoted string, or a run of non-blank
    // characters up to a command separator.
    private func value(_ characters: [Character], from start: Int) -> String {
        guard start < characters.count else { return "" }
        let first = characters[start]
        if first == "\"" || first == "'" {
            if let close = characters[(start + 1)...].firstIndex(of: first) {
                return String(characters[start...close])
            }
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
