/// A `Key value` configuration file read line by line, in one linear pass: clamav-milter.conf,
/// opendkim.conf, opendmarc.conf, enma.conf (`key: value`), pyspf-milter.conf (`Key = value`).
///
/// A line is `Key`, `Key value`, `Key: value` or `Key = value`, indented or not; a `#` that
/// starts the line or follows a blank starts a comment. Any other line is skipped without a
/// word: the daemons own the syntax, detection only picks the keys it needs.
struct KeyValueConf: Hashable {
    /// One `Key value` line.
    struct Entry: Hashable {
        /// The key as written.
        var key: String
        /// The value without a trailing comment and blanks; nil for a bare key (`Example`).
        var value: String?
        /// 1-based line.
        var line: Int
    }

    /// The entries in file order.
    var entries: [Entry] = []

    /// Reads `text`.
    init(parsing text: String) {
        for (index, line) in text.lines().enumerated() {
            if let entry = Self.entry(in: line, line: index + 1) { entries.append(entry) }
        }
    }

    /// The last entry for `key` (later lines win, as in the daemons); `ignoringCase` for the
    /// daemons that match keys without case (OpenDKIM, OpenDMARC).
    func last(_ key: String, ignoringCase: Bool = false) -> Entry? {
        if ignoringCase {
            let lowered = key.lowercased()
            return entries.last { $0.key.lowercased() == lowered }
        }
        return entries.last { $0.key == key }
    }

    private static func entry(in line: Substring, line number: Int) -> Entry? {
        let text = line.drop { $0 == " " || $0 == "\t" }
        guard let first = text.first, first.isASCII, first.isLetter else { return nil }
        let key = text.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) }
        var rest = text.dropFirst(key.count)
        guard rest.isEmpty || [" ", "\t", "\r", ":", "="].contains(rest.first!) else { return nil }
        rest = rest.drop { $0 == " " || $0 == "\t" }
        if let separator = rest.first, separator == ":" || separator == "=" {
            rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
        }
        let value = withoutComment(rest).trimmingBlanks()
        return Entry(key: String(key), value: value.isEmpty ? nil : value, line: number)
    }

    /// The text before a `#` that starts it or follows a blank.
    private static func withoutComment(_ text: Substring) -> Substring {
        var previous: Character = " "
        for index in text.indices {
            if text[index] == "#", previous == " " || previous == "\t" { return text[..<index] }
            previous = text[index]
        }
        return text
    }
}
