import Configuration

/// A value and where it was set.
struct LocatedValue: Hashable, Sendable {
    /// The value, unquoted and expanded.
    var value: String
    /// The assignment it came from (file as seen inside the root, line).
    var location: SourceLocation
    /// What is wrong with the value as written (an unclosed quote), nil when well formed.
    /// Such a value is reported and skipped when detection needs it.
    var problem: String? = nil
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
        expand(text, depth: 0, lookup: lookup)
    }

    /// How deep `${A:-${B:-…}}` defaults are expanded, and how far a `${` looks for its `}`:
    /// bounds for hostile values (deeper or longer forms stay as written).
    private static let maximumDepth = 8
    private static let maximumBraceSpan = 1024

    private static func expand(_ text: Substring, depth: Int, lookup: (String) -> String?) -> String {
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
            if next < text.endIndex, text[next] == "{", depth < maximumDepth,
                let close = matchingBrace(in: text, openingAt: next)
            {
                if let value = parameter(text[text.index(after: next)..<close], depth: depth, lookup: lookup) {
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

    /// The value of `${body}`: `NAME`, or `NAME` with `:-`, `-`, `:=`, `=`, `:+` or `+` and a
    /// word (expanded in turn); nil for an unknown NAME without a default and for the other
    /// forms (`${NAME#pattern}`, ...), which stay as written.
    private static func parameter(_ body: Substring, depth: Int, lookup: (String) -> String?) -> String? {
        let name = body.prefix { isNameCharacter($0) }
        guard isName(name) else { return nil }
        let value = lookup(String(name))
        var operation = body.dropFirst(name.count)
        if operation.isEmpty { return value }
        let nullCounts = operation.hasPrefix(":")
        if nullCounts { operation = operation.dropFirst() }
        guard let symbol = operation.first, "-=+".contains(symbol) else { return nil }
        let word = operation.dropFirst()
        let isSet = value != nil && !(nullCounts && value?.isEmpty == true)
        switch symbol {
        case "+": return isSet ? expand(word, depth: depth + 1, lookup: lookup) : ""
        default: return isSet ? value : expand(word, depth: depth + 1, lookup: lookup)
        }
    }

    /// The index of the `}` closing the `{` at `open`, nested `${…}` counted.
    private static func matchingBrace(in text: Substring, openingAt open: Substring.Index) -> Substring.Index? {
        var depth = 0
        var index = open
        var scanned = 0
        while index < text.endIndex, scanned < maximumBraceSpan {
            scanned += 1
            switch text[index] {
            case "{": depth += 1
            case "}":
                depth -= 1
                if depth == 0 { return index }
            default: break
            }
            index = text.index(after: index)
        }
        return nil
    }

    /// Whether `text` still holds a `$NAME` or `${…}` reference that could not be expanded.
    static func hasUnexpandedReference(_ text: String) -> Bool {
        var index = text.startIndex
        while let dollar = text[index...].firstIndex(of: "$") {
            let next = text.index(after: dollar)
            if next < text.endIndex, text[next] == "{" || isNameStart(text[next]) { return true }
            index = next
        }
        return false
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
