/// Where a configuration value came from; `--show-config` prints it as the comment above
/// the value, and the parser reads such a comment back (see `init?(annotation:)`), so that a
/// saved `--show-config` output loads again with the same provenance.
public enum Provenance: Hashable, Sendable, CustomStringConvertible {
    /// Never set: the built-in default (`# default`).
    case `default`
    /// Set by a statement in a configuration file (`# /etc/milter-manager/milter-manager.conf:12`).
    case file(SourceLocation)
    /// Set by auto-detection (`load_default`), with the file the value was read from when
    /// detection knows it (`# detected: /etc/sysconfig/spamass-milter:3`, else `# detected`).
    case detected(SourceLocation?)
    /// Set by a command-line option of the daemon (`# command line`).
    case commandLine

    /// The comment text without `# `: `default`, `FILE:LINE`, `detected: FILE:LINE`,
    /// `detected`, `command line`. Columns are not printed.
    public var description: String {
        switch self {
        case .default: return "default"
        case .file(let location): return "\(location.file):\(location.line)"
        case .detected(let location): return location.map { "detected: \($0.file):\($0.line)" } ?? "detected"
        case .commandLine: return "command line"
        }
    }

    /// The whole comment line, `# ...`.
    public var comment: String { "# " + description }

    /// Reads a provenance comment as the printer writes it (`text` is the comment without
    /// the leading `#` and blanks). Any other comment gives nil.
    public init?(annotation text: Substring) {
        let text = text.trimmingCharacters(in: " \t")
        switch text {
        case "default": self = .default
        case "detected": self = .detected(nil)
        case "command line": self = .commandLine
        default:
            if text.hasPrefix("detected: ") {
                guard let location = Self.location(text.dropFirst("detected: ".count)) else { return nil }
                self = .detected(location)
            } else if let location = Self.location(text[...]) {
                self = .file(location)
            } else {
                return nil
            }
        }
    }

    /// `/ABSOLUTE/PATH:LINE` with a positive line.
    private static func location(_ text: Substring) -> SourceLocation? {
        guard text.hasPrefix("/"), let colon = text.lastIndex(of: ":") else { return nil }
        let path = text[..<colon]
        guard let line = Int(text[text.index(after: colon)...]), line > 0, !path.isEmpty,
            !path.contains(where: { $0 == " " || $0 == "\t" })
        else { return nil }
        return SourceLocation(file: String(path), line: line)
    }
}

extension Substring {
    /// The text without leading and trailing characters of `set`.
    func trimmingCharacters(in set: String) -> Substring {
        var result = self
        while let first = result.first, set.contains(first) { result.removeFirst() }
        while let last = result.last, set.contains(last) { result.removeLast() }
        return result
    }
}
