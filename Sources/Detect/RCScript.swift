import Configuration

/// An rc.d script (FreeBSD ports, pkgsrc) read the way the original RC-NG detector does:
/// `name=`, every assignment, the `${<name>_<var>:-default}` defaults and `<name>_<var>=`
/// lines (the service's own variables, keyed by `<var>`), `command_args=` and `rcvar=`.
struct RCScript {
    /// `name=` (the rc.conf prefix), nil when the script has none.
    var name: String?
    /// Every assignment in the script, by full name.
    var scriptVariables: [String: LocatedValue] = [:]
    /// The service's variables by suffix (`enable`, `socket`, `flags`, ...).
    var variables: [String: LocatedValue] = [:]

    /// Reads `text`, the script at `file`.
    init(parsing text: String, file: String) {
        var assignments = VariableAssignments(uppercaseOnly: false)
        let found = ShellAssignmentScanner(allowsLowercase: true).assignments(in: text)
        for assignment in found {
            assignments.assign(
                assignment.name, raw: assignment.raw, at: SourceLocation(file: file, line: assignment.line),
                to: &scriptVariables)
        }
        guard let name = scriptVariables["name"]?.value, !name.isEmpty else { return }
        self.name = name
        let prefix = name + "_"
        let scriptVariables = self.scriptVariables
        var variables: [String: LocatedValue] = [:]
        assignments.extraLookup = { scriptVariables[$0]?.value }
        assignments.keyPrefix = prefix
        let assignmentsByLine = Dictionary(found.map { ($0.line, $0) }, uniquingKeysWith: { first, _ in first })
        for (number, line) in Self.logicalLines(of: text) {
            let location = SourceLocation(file: file, line: number)
            if let (suffix, raw) = Self.parameterDefault(in: line[...], prefix: prefix) {
                assignments.assign(suffix, raw: raw, at: location, to: &variables)
            } else if let assignment = assignmentsByLine[number], assignment.name.hasPrefix(prefix) {
                let suffix = String(assignment.name.dropFirst(prefix.count))
                assignments.assign(suffix, raw: assignment.raw, at: location, to: &variables)
            }
        }
        self.variables = variables
    }

    /// The lines of `text` with backslash-newline continuations joined (as the shell reads
    /// `x_flags=${x_flags-"-p /s \` + `-u user"}`), each with the number of its first line.
    static func logicalLines(of text: String) -> [(Int, String)] {
        var result: [(Int, String)] = []
        var pending: (Int, String)?
        for (index, line) in text.lines().enumerated() {
            var current = pending ?? (index + 1, "")
            if line.hasSuffix("\\") {
                current.1 += line.dropLast()
                pending = current
            } else {
                current.1 += line
                result.append(current)
                pending = nil
            }
        }
        if let pending { result.append(pending) }
        return result
    }

    /// `${<prefix><var>-default}` with `-`, `:-`, `=` or `:=`: the suffix and the default
    /// (text up to the last `}` of the line).
    static func parameterDefault(in line: Substring, prefix: String) -> (String, String)? {
        guard let start = line.firstRange(of: "${" + prefix) else { return nil }
        let rest = line[start.upperBound...]
        let suffix = rest.prefix { ShellValue.isNameCharacter($0) }
        guard !suffix.isEmpty else { return nil }
        var operatorText = rest.dropFirst(suffix.count)
        if operatorText.hasPrefix(":") { operatorText = operatorText.dropFirst() }
        guard let operatorCharacter = operatorText.first, operatorCharacter == "-" || operatorCharacter == "=",
            let close = line.lastIndex(of: "}"), close > operatorText.startIndex
        else { return nil }
        let value = line[line.index(after: operatorText.startIndex)..<close]
        return (String(suffix), String(value))
    }
}
