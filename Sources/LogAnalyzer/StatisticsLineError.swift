import MilterSupport

/// Why a `[statistics]` line of a kind the analyzer graphs could not be read.
public struct StatisticsLineError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of line, as it starts (`[session][end]`, `[milter][header][add]`, ...).
    public var kind: String
    /// What is wrong.
    public var problem: Problem

    /// What can be wrong in a line.
    public enum Problem: Hashable, Sendable {
        /// A part is missing or out of place; `expected` names it.
        case missing(expected: String)
        /// The status word is not one milter-manager writes.
        case unknownStatus(String)
        /// The elapsed time is not a finite number of seconds from 0 to 1e9.
        case badElapsed(String)
        /// A number (tag or count) is not a decimal number that fits.
        case badNumber(String)
        /// The milter name cannot name a file (see `MilterName`).
        case refusedMilterName(String)
        /// The header name has bytes a header name cannot have.
        case badHeaderName(String)
        /// A header line ends before its value does: syslog cut it at its length limit (1024
        /// bytes for traditional syslogd, 8192 for rsyslog). Expected, so not warned about.
        case truncated
        /// Something follows the end of the line's format.
        case trailingText(String)
    }

    /// A line error.
    public init(kind: String, problem: Problem) {
        self.kind = kind
        self.problem = problem
    }

    /// `[session][end]: unknown status "frobbed"`.
    public var description: String {
        let detail: String
        switch problem {
        case .missing(let expected): detail = "expected \(expected)"
        case .unknownStatus(let word): detail = "unknown status \(quoted(word))"
        case .badElapsed(let text): detail = "elapsed time \(quoted(text)) is not a number of seconds"
        case .badNumber(let text): detail = "\(quoted(text)) is not a number"
        case .refusedMilterName(let name):
            detail = "milter name \(quoted(name)) refused (letters, digits, - _ . + @ only, at most 64)"
        case .badHeaderName(let name): detail = "header name \(quoted(name)) is not one"
        case .truncated: detail = "cut short (syslog's line length limit)"
        case .trailingText(let text): detail = "unexpected text \(quoted(text)) at the end"
        }
        return "\(kind): \(detail)"
    }

    private func quoted(_ text: String) -> String {
        let shown = text.count > 40 ? String(text.prefix(40)) + "..." : text
        return "\"" + ControlCharacters.escapedIfNeeded(shown) + "\""
    }
}
