/// Renders values the way Ruby's `inspect` writes them, so that printed configuration reads
/// back with the same value.
public enum RubyLiteral {
    /// `String#inspect`: double quotes, backslash escapes, `#{` `#$` `#@` escaped,
    /// other control characters as `\u0001`; non-ASCII printable characters kept.
    public static func inspect(_ text: String) -> String {
        quote(text, escapeNonASCII: false)
    }

    /// `String#dump`: like `inspect`, but non-ASCII characters escaped as `\u00E9` / `\u{1F600}`.
    public static func dump(_ text: String) -> String {
        quote(text, escapeNonASCII: true)
    }

    /// `nil` or the inspected string.
    public static func inspect(_ text: String?) -> String {
        text.map(inspect) ?? "nil"
    }

    /// A float with a fractional part (`297.0`, `0.5`).
    public static func float(_ value: Double) -> String {
        let text = "\(value)"
        if text.contains(".") || text.contains("e") || text.contains("n") || text.contains("i") { return text }
        return text + ".0"
    }

    /// An octal integer with one leading zero (`0660`; zero prints `0`).
    public static func octal(_ value: Int) -> String {
        value == 0 ? "0" : "0" + String(value, radix: 8)
    }

    /// An array of inspected strings (`["a", "b"]`).
    public static func inspect(_ texts: [String]) -> String {
        "[" + texts.map(inspect).joined(separator: ", ") + "]"
    }

    private static func quote(_ text: String, escapeNonASCII: Bool) -> String {
        var result = "\""
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case "\u{1B}": result += "\\e"
            case "\u{07}": result += "\\a"
            case "\u{08}": result += "\\b"
            case "\u{0B}": result += "\\v"
            case "\u{0C}": result += "\\f"
            default:
                if previous == "#" && (scalar == "{" || scalar == "$" || scalar == "@") {
                    result.insert("\\", at: result.index(before: result.endIndex))
                    result.unicodeScalars.append(scalar)
                } else if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += "\\u" + hex(scalar.value, width: 4)
                } else if escapeNonASCII && scalar.value > 0x7F {
                    result +=
                        scalar.value > 0xFFFF
                        ? "\\u{" + hex(scalar.value, width: 1) + "}" : "\\u" + hex(scalar.value, width: 4)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
            previous = scalar
        }
        return result + "\""
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
