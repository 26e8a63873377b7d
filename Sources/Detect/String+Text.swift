/// Small text helpers for the line-oriented readers.
extension StringProtocol {
    /// The text without leading and trailing blanks (spaces, tabs, carriage returns).
    func trimmingBlanks() -> String {
        guard let first = firstIndex(where: { !Self.isBlank($0) }), let last = lastIndex(where: { !Self.isBlank($0) })
        else { return "" }
        return String(self[first...last])
    }

    /// The text without leading blanks.
    func trimmingLeadingBlanks() -> String {
        String(drop(while: Self.isBlank))
    }

    /// The text without trailing blanks.
    func trimmingTrailingBlanks() -> String {
        guard let last = lastIndex(where: { !Self.isBlank($0) }) else { return "" }
        return String(self[...last])
    }

    /// The lines of the text, without their line terminators (`\n` or `\r\n`).
    func lines() -> [SubSequence] {
        var result = split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        if result.last?.isEmpty == true { result.removeLast() }
        return result
    }

    private static func isBlank(_ character: Character) -> Bool {
        character == " " || character == "\t" || character == "\r"
    }
}
