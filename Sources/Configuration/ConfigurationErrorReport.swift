/// How command-line tools print a configuration error:
///
/// ```
/// milter-manager: /etc/milter-manager/milter-manager.conf:12: unknown key "milter.conection_spec"
///     milter.conection_spec = "inet:10025"
///     ^ column 5
///   hint: did you mean "milter.connection_spec"?
/// ```
///
/// The first line is the contract (`PROGRAM: FILE:LINE: MESSAGE`); the source line with a
/// caret under the column and the hint follow when known.
public enum ConfigurationErrorReport {
    /// The report for `error`; `root` is where the file is read to show the line.
    public static func render(_ error: ConfigurationError, program: String, root: RootDirectory?) -> String {
        let sourceLine = root.flatMap { root in
            (try? root.readText(error.location.file)).flatMap { text -> String? in
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                let index = error.location.line - 1
                return index >= 0 && index < lines.count ? String(lines[index]) : nil
            }
        }
        return render(error, program: program, sourceLine: sourceLine)
    }

    /// The report for `error` with the text of its line, if known.
    public static func render(_ error: ConfigurationError, program: String, sourceLine: String?) -> String {
        var lines = ["\(program): \(error.description)"]
        if let sourceLine, let column = error.location.column, column >= 1 {
            let shown = sourceLine.replacingTabs()
            lines.append("    " + shown)
            lines.append("    " + String(repeating: " ", count: column - 1) + "^ column \(column)")
        }
        if let hint = error.hint { lines.append("  hint: " + hint) }
        return lines.joined(separator: "\n")
    }

    /// A warning line: `PROGRAM: warning: FILE:LINE: MESSAGE` (line 0 omitted).
    public static func render(warning: Diagnostic, program: String) -> String {
        let location =
            warning.location.line > 0 ? "\(warning.location.file):\(warning.location.line)" : warning.location.file
        return "\(program): \(warning.severity.rawValue): \(location): \(warning.message)"
    }
}

extension String {
    /// Tabs as single spaces, so that a caret lines up with the column.
    func replacingTabs() -> String { String(map { $0 == "\t" ? " " : $0 }) }
}
