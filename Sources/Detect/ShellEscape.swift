/// Joins command options into one string the way the original does (Ruby's
/// `Shellwords.escape` per word, joined with spaces): `["start", "inet outer"]` →
/// `start inet\ outer`.
enum ShellEscape {
    /// The words escaped and joined with single spaces.
    static func join(_ words: [String]) -> String {
        words.map(escape).joined(separator: " ")
    }

    /// One word escaped for a POSIX shell.
    static func escape(_ word: String) -> String {
        guard !word.isEmpty else { return "''" }
        var result = ""
        for character in word {
            if character == "\n" {
                result += "'\n'"
            } else if character.isASCII && (character.isLetter || character.isNumber || "_-.,:+/@".contains(character))
            {
                result.append(character)
            } else {
                result += "\\" + String(character)
            }
        }
        return result
    }
}
