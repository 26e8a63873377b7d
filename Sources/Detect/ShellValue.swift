import Configuration

/// A value and where it was set.
struct LocatedValue: Hashable, Sendable {
    /// The value, unquoted and expanded.
    var value: String
    /// The assignment it came from (file as seen inside the root, line).
    var location: SourceLocation
}

/// The value part of a shell assignment as detection reads it (not a shell interpreter):
/// one pair of surrounding quotes is removed and `$NAME` / `${NAME}` references are expanded
/// from the variables known so far; unknown references stay as written.
enum ShellValue {
    /// The normalised value of `raw`, or nil for a positional parameter (`$1`), which keeps the
    /// previous value of the variable.
    static func normalize(_ raw: String, lookup: (String) -> String?) -> String? {
        var text = Substring(raw)
        var singleQuoted = false
        if text.count >= 2, let first = text.first, first == "\"" || first == "'", text.last == first {
            singleQuoted = first == "'"
            text = text.dropFirst().dropLast()
        }
        if text.hasPrefix("$"), text.count > 1, text.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }) {
            return nil
        }
        return singleQuoted ? String(text) : expand(text, lookup: lookup)
    }

    /// `text` with `$NAME` and `${NAME}` replaced where `lookup` knows NAME.
    static func expand(_ text: Substring, lookup: (String) -> String?) -> String {
        guard text.contains("$") else { return String(text) }
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            guard character == "$" else {
                result.append(character)
                index = text.index(after: index)
                continue
            }
            let next = text.index(after: index)
            if next < text.endIndex, text[next] == "{", let close = text[next...].firstIndex(of: "}") {
                let name = text[text.index(after: next)..<close]
                if isName(name), let value = lookup(String(name)) {
                    result += value
                    index = text.index(after: close)
                    continue
                }
            } else if next < text.endIndex, isNameStart(text[next]) {
                let end = text[next...].firstIndex { !isNameCharacter($0) } ?? text.endIndex
                if let value = lookup(String(text[next..<end])) {
                    result += value
                    index = end
                    continue
                }
            }
            result.append(character)
            index = next
        }
        return result
    }

    /// Whether `text` is a shell variable name.
    static func isName(_ text: Substring) -> Bool {
        guard let first = text.first, isNameStart(first) else { return false }
        return text.allSatisfy(isNameCharacter)
    }

    static func isNameStart(_ character: Character) -> Bool {
        character == "_" || (character.isASCII && character.isLetter)
    }

    static func isNameCharacter(_ character: Character) -> Bool {
        character == "_" || (character.isASCII && (character.isLetter || character.isNumber))
    }
}
