/// POSIX-shell word splitting of option strings (`OPTIONS="-u grmilter -p /run/g.sock"`)
/// and the option lookup the original detector uses. The launcher splits `milter.command`
/// and `milter.command_options` with it too (the words are run directly, never by a shell).
public enum ShellWords {
    /// Why a string could not be split.
    public enum SplitError: Error, Hashable {
        /// A quote was opened and never closed.
        case unbalancedQuote(Character)
    }

    /// The words of `text`: blanks separate words, quotes group, backslash escapes.
    public static func split(_ text: String) throws(SplitError) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var iterator = text.makeIterator()
        while let character = iterator.next() {
            switch character {
            case " ", "\t", "\n":
                if inWord { words.append(current) }
                current = ""
                inWord = false
            case "\\":
                inWord = true
                if let escaped = iterator.next() { current.append(escaped) }
            case "'":
                inWord = true
                var closed = false
                while let inner = iterator.next() {
                    if inner == "'" {
                        closed = true
                        break
                    }
                    current.append(inner)
                }
                guard closed else { throw .unbalancedQuote("'") }
            case "\"":
                inWord = true
                var closed = false
                while let inner = iterator.next() {
                    if inner == "\"" {
                        closed = true
                        break
                    }
                    if inner == "\\", let escaped = iterator.next() {
                        if escaped != "\"" && escaped != "\\" && escaped != "$" && escaped != "`" {
                            current.append(inner)
                        }
                        current.append(escaped)
                        continue
                    }
                    current.append(inner)
                }
                guard closed else { throw .unbalancedQuote("\"") }
            default:
                inWord = true
                current.append(character)
            }
        }
        if inWord { words.append(current) }
        return words
    }

    /// The argument of `option` in `words`: the word after the last word equal to `option`
    /// (nil when that word is an unexpanded `$reference` or missing); otherwise the rest of
    /// the last word that starts with `option`, without one leading `=` (`--config=/x`, `-p/x`).
    static func argument(of option: String, in words: [String]) -> String? {
        rawArgument(of: option, in: words).flatMap { $0.hasPrefix("$") ? nil : $0 }
    }

    /// Like `argument(of:in:)`, but keeps an argument that is a `$reference`.
    static func rawArgument(of option: String, in words: [String]) -> String? {
        if let index = words.lastIndex(of: option) {
            return index + 1 < words.count ? words[index + 1] : nil
        }
        guard let word = words.last(where: { $0.hasPrefix(option) }) else { return nil }
        var rest = word.dropFirst(option.count)
        if rest.hasPrefix("=") { rest = rest.dropFirst() }
        return rest.isEmpty ? nil : String(rest)
    }
}
