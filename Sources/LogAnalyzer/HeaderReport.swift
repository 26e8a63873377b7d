import Foundation

/// What a header a milter added says about the mail (runtime.md §6: spam and virus flags,
/// URIBL hits, greylisting, tarpitting, SPF/Sender ID/DKIM/ADSP/DMARC results).
public enum HeaderReport {
    /// The report sources a header counts in (none for headers that say nothing we graph).
    /// rsyslog's escapes of a folded value (`#012`, `#011`) count as blanks.
    public static func sources(name: String, value: String) -> [ReportSource] {
        let value = unescapeSyslog(value)
        switch name.lowercased() {
        case "x-spam", "x-spam-flag":
            return value.trimmingBlanks().lowercased() == "yes" ? [.spam] : []
        case "x-spam-status":
            return spamStatus(value)
        case "authentication-results":
            return authenticationResults(value)
        case "x-greylist":
            return greylist(value)
        case "x-virus-status":
            return value.trimmingBlanks().lowercased().hasPrefix("infected") ? [.virus] : []
        default:
            return []
        }
    }

    /// `Yes, score=12.3 required=5.0 tests=BAYES_99,URIBL_BLACK autolearn=no`: one `uribl` when
    /// a test in the `tests=` list starts with `URIBL_`.
    static func spamStatus(_ value: String) -> [ReportSource] {
        guard let start = value.range(of: "tests=") else { return [] }
        for token in value[start.upperBound...].split(whereSeparator: { $0 == "," || $0.isBlank }) {
            if token.contains("=") { break }
            if token.uppercased().hasPrefix("URIBL_") { return [.uribl] }
        }
        return []
    }

    /// `host; spf=pass smtp.mailfrom=...; dkim=fail (bad signature) header.d=...`: one source
    /// per method result we graph; `neutral (verification failed)` counts as a failure.
    static func authenticationResults(_ value: String) -> [ReportSource] {
        var results: [ReportSource] = []
        for part in value.split(separator: ";").dropFirst() {
            let text = part.trimmingBlanks()
            guard let equals = text.firstIndex(of: "="), equals != text.startIndex else { continue }
            let method = text[..<equals]
            guard !method.contains(where: { $0.isBlank }) else { continue }
            let rest = text[text.index(after: equals)...]
            let result = rest.prefix { !$0.isBlank }.lowercased()
            let comment = rest.dropFirst(result.count).trimmingBlanks()
            let source: ReportSource?
            switch result {
            case "pass": source = ReportSource.authenticationResult(method: method, passed: true)
            case "fail", "hardfail": source = ReportSource.authenticationResult(method: method, passed: false)
            case "neutral" where comment.hasPrefix("(verification failed)"):
                source = ReportSource.authenticationResult(method: method, passed: false)
            default: source = nil
            }
            if let source { results.append(source) }
        }
        return results
    }

    /// milter-greylist's `X-Greylist` texts.
    static func greylist(_ value: String) -> [ReportSource] {
        let lowered = value.trimmingBlanks().lowercased()
        if let range = lowered.range(of: "message whitelisted by tarpit "),
            lowered[range.upperBound...].prefix(while: { $0.isNumber }).count > 0
        {
            return [.tarpittingPass]
        }
        if lowered.hasPrefix("delayed for") { return [.greylistingPass] }
        if lowered.contains("sender is spf-compliant") || lowered.contains("sender passed spf test") {
            return [.spfPass]
        }
        return []
    }

    /// `#012` (newline) and `#011` (tab), as rsyslog writes control characters, become spaces.
    static func unescapeSyslog(_ value: String) -> String {
        guard value.contains("#01") else { return value }
        return value.replacingOccurrences(of: "#012", with: " ").replacingOccurrences(of: "#011", with: " ")
    }
}

extension Character {
    /// Space, tab, newline or carriage return.
    var isBlank: Bool { self == " " || self == "\t" || self == "\n" || self == "\r" }
}

extension StringProtocol {
    /// Without leading and trailing blanks.
    func trimmingBlanks() -> Substring {
        let text = Substring(self)
        guard let first = text.firstIndex(where: { !$0.isBlank }) else { return text[text.endIndex...] }
        let last = text.lastIndex(where: { !$0.isBlank })!
        return text[first...last]
    }
}
