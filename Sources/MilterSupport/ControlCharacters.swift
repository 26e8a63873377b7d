/// Control characters in text that crosses a trust boundary: a newline in a value must not
/// become a new line in a log, a generated file or a message.
public enum ControlCharacters {
    /// Whether `scalar` is a C0 control character, DEL or a C1 control character.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0)
    }

    /// Whether `text` holds any control character.
    public static func contains(in text: String) -> Bool {
        text.unicodeScalars.contains(where: isControl)
    }

    /// `text` with every control character written as an escape (`\n`, `\r`, `\t`, `\x1B`)
    /// and backslashes doubled, so that the result is one printable line that reads back
    /// unambiguously. Text without control characters or backslashes is returned as is.
    /// `doublingBackslashes: false` keeps backslashes as they are (log lines: a line without
    /// control characters, such as a statistics line, stays byte for byte).
    public static func escaped(_ text: String, doublingBackslashes: Bool = true) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0) || (doublingBackslashes && $0 == "\\") }) else {
            return text
        }
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\\": result += doublingBackslashes ? "\\\\" : "\\"
            default:
                if isControl(scalar) {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    result += "\\x" + (hex.count < 2 ? "0" + hex : hex)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }

    /// `text` as is when it holds no control character, else `escaped(text)`: one line of a
    /// comment or a message whose values may already have been escaped once (backslashes are
    /// doubled only where a control character had to be escaped too).
    public static func escapedIfNeeded(_ text: String) -> String {
        contains(in: text) ? escaped(text) : text
    }
}
