/// Ruby's `Shellwords.escape` and `Shellwords.join`, as the original writes
/// `milter.command_options`: a word safe to paste into a POSIX shell command line.
///
/// Every Unicode scalar but `A-Z a-z 0-9 _ - . , : + / @` gets a backslash before it; a newline
/// becomes `'\n'` (a backslash-newline would be a line continuation); an empty word is `''`.
/// The text is taken scalar by scalar, as Ruby's regular expression does: a `Character` would
/// take CR LF as one character and leave the LF without its quotes.
public enum ShellQuoting {
    /// `word` escaped (`''` for an empty word): `inet outer` → `inet\ outer`.
    public static func escape(_ word: String) -> String {
        if word.isEmpty { return "''" }
        var result = ""
        result.unicodeScalars.reserveCapacity(word.unicodeScalars.count)
        for scalar in word.unicodeScalars {
            if scalar == "\n" {
                result += "'\n'"
            } else if isSafe(scalar) {
                result.unicodeScalars.append(scalar)
            } else {
                result.unicodeScalars.append("\\")
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// The words escaped and joined with single spaces: `["start", "inet outer"]` →
    /// `start inet\ outer`.
    public static func join(_ words: [String]) -> String {
        words.map(escape).joined(separator: " ")
    }

    /// Whether `scalar` stands for itself in a shell word.
    private static func isSafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", "_", "-", ".", ",", ":", "+", "/", "@": return true
        default: return false
        }
    }
}
