import Configuration

/// Applies shell assignments, in order, to a service's variables: each value is unquoted and
/// expanded from the variables known so far (the original detector's semantics).
struct VariableAssignments {
    /// Whether only upper-case names count (Debian scripts, systemd environment files).
    var uppercaseOnly: Bool
    /// Values consulted before the variables themselves (`$name`, rc.d script variables).
    var extraLookup: (String) -> String? = { _ in nil }
    /// A prefix the variables are keyed without (rc.d: `${miltergreylist_socket}` is the
    /// variable `socket`).
    var keyPrefix: String?

    /// Applies the assignments found in the shell script `text` of `file`.
    func apply(script text: String, file: String, to variables: inout [String: LocatedValue]) {
        let scanner = ShellAssignmentScanner(allowsLowercase: !uppercaseOnly)
        for assignment in scanner.assignments(in: text) {
            assign(assignment, in: file, to: &variables)
        }
    }

    /// Applies the assignments of a shell-variables file (sysconfig, default, rc.conf).
    func apply(file: ConfigFileStore.ShellFile, to variables: inout [String: LocatedValue]) {
        for assignment in file.assignments {
            assign(assignment, in: file.path, to: &variables)
        }
    }

    /// Applies one assignment found by `ShellAssignmentScanner` in `file`.
    func assign(
        _ assignment: ShellAssignmentScanner.Assignment, in file: String, to variables: inout [String: LocatedValue]
    ) {
        assign(
            assignment.name, raw: assignment.raw, at: SourceLocation(file: file, line: assignment.line),
            problem: assignment.problem, to: &variables)
    }

    /// Applies one assignment.
    func assign(
        _ name: String, raw: String, at location: SourceLocation, problem: String? = nil,
        to variables: inout [String: LocatedValue]
    ) {
        guard !uppercaseOnly || name.allSatisfy({ !$0.isLowercase }) else { return }
        let found = ShellValue.normalize(raw) { reference in
            if let value = extraLookup(reference) ?? variables[reference]?.value { return value }
            guard let keyPrefix, reference.hasPrefix(keyPrefix) else { return nil }
            return variables[String(reference.dropFirst(keyPrefix.count))]?.value
        }
        guard let value = found else { return }
        variables[name] = LocatedValue(value: value, location: location, problem: problem)
    }
}
