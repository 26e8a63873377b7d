/// Text made safe for one log line: control characters that could end the line or forge
/// another one (CR, LF, every other C0 control, DEL, the C1 controls such as NEL, the Unicode
/// line and paragraph separators) are written
/// as escapes (`\r`, `\n`, `\t`, `\x1b`, `\u{85}`); everything else, UTF-8 included, is kept.
/// A line without control characters comes back unchanged, so the statistics lines keep their
/// exact format.
public enum LogText {
    /// `text` with its control characters escaped.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            guard isControl(scalar) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x80:
                let hex = String(scalar.value, radix: 16)
                result += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            case _:
                result += "\\u{" + String(scalar.value, radix: 16) + "}"
            }
        }
        return result
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value <= 0x9F) || scalar.value == 0x2028
            || scalar.value == 0x2029
    }
}
