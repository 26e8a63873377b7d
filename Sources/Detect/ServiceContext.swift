import Configuration

/// What a service manager knows about one service: its variables, its command line and its
/// init-script header. Resolves the `ValueSource`s of a `ServiceLayout`.
struct ServiceContext {
    /// The service's variables (shell variables, or rc.conf `<name>_<suffix>` by suffix).
    var variables: [String: LocatedValue] = [:]
    /// Every assignment in an rc.d script, by full name.
    var scriptVariables: [String: LocatedValue] = [:]
    /// The daemon's command line (ExecStart, upstart `exec`, rc.d `command_args`).
    var commandLine: LocatedValue?
    /// Whether `$NAME` in the command line still needs expanding from `variables` (systemd
    /// expands its environment itself); an argument that is just `$NAME` then reports where
    /// NAME was set.
    var expandsCommandLine = false
    /// The init script's header, when there is one.
    var header: InitScriptHeader?
    /// The file the service is defined in (script, unit, job).
    var definitionFile: String

    /// The first non-empty value `source` yields (`.application` yields nothing here).
    func value(of source: ValueSource, diagnostics: inout [Diagnostic]) -> LocatedValue? {
        let found: LocatedValue?
        switch source {
        case .variable(let name):
            found = wellFormed(variables[name], name: name, diagnostics: &diagnostics)
        case .scriptVariable(let name):
            found = wellFormed(scriptVariables[name], name: name, diagnostics: &diagnostics)
        case .flag(let option, let name):
            found = wellFormed(variables[name], name: name, diagnostics: &diagnostics).flatMap {
                argument(of: option, in: $0, diagnostics: &diagnostics)
            }
        case .commandLineFlag(let option) where expandsCommandLine:
            found = commandLine.flatMap { expandedArgument(of: option, in: $0, diagnostics: &diagnostics) }
        case .commandLineFlag(let option):
            found = commandLine.flatMap { argument(of: option, in: $0, diagnostics: &diagnostics) }
        case .headerTag(let tag):
            found = header?.tags[tag].map {
                LocatedValue(value: $0, location: SourceLocation(file: definitionFile, line: 0))
            }
        case .path(let path):
            found = LocatedValue(value: path, location: SourceLocation(file: path, line: 0))
        case .application:
            found = nil
        }
        guard let found, !found.value.isEmpty else { return nil }
        return found
    }

    /// `value` unless it is malformed (an unclosed quote): that is reported once and skipped.
    private func wellFormed(_ value: LocatedValue?, name: String, diagnostics: inout [Diagnostic]) -> LocatedValue? {
        guard let value, let problem = value.problem else { return value }
        let diagnostic = Diagnostic(
            location: value.location, severity: .warning, message: "\(name): \(problem); this value is ignored")
        if !diagnostics.contains(diagnostic) { diagnostics.append(diagnostic) }
        return nil
    }

    /// The first value any of `sources` yields.
    func firstValue(of sources: [ValueSource], diagnostics: inout [Diagnostic]) -> LocatedValue? {
        for source in sources {
            if let found = value(of: source, diagnostics: &diagnostics) { return found }
        }
        return nil
    }

    private func argument(of option: String, in text: LocatedValue, diagnostics: inout [Diagnostic]) -> LocatedValue? {
        words(of: text, option: option, diagnostics: &diagnostics).flatMap { ShellWords.argument(of: option, in: $0) }
            .map { LocatedValue(value: $0, location: text.location) }
    }

    private func expandedArgument(
        of option: String, in text: LocatedValue, diagnostics: inout [Diagnostic]
    ) -> LocatedValue? {
        guard let words = words(of: text, option: option, diagnostics: &diagnostics),
            let raw = ShellWords.rawArgument(of: option, in: words)
        else { return nil }
        var reference = Substring(raw)
        if reference.hasPrefix("${"), reference.hasSuffix("}") {
            reference = reference.dropFirst(2).dropLast()
        } else if reference.hasPrefix("$") {
            reference = reference.dropFirst()
        }
        // A malformed assignment is reported and counts as unset (systemd skips such a line of
        // an EnvironmentFile, so `${NAME:-default}` gets its default).
        func known(_ name: String) -> LocatedValue? {
            wellFormed(variables[name], name: name, diagnostics: &diagnostics)
        }
        if reference.startIndex != raw.startIndex {
            // `$NAME`, `${NAME}`, or `${NAME:-default}` with NAME set: where NAME was set.
            let name = reference.prefix { ShellValue.isNameCharacter($0) }
            let operation = reference.dropFirst(name.count)
            if ShellValue.isName(name), let value = known(String(name)),
                operation.isEmpty || ((operation.hasPrefix(":-") || operation.hasPrefix(":=")) && !value.value.isEmpty)
                    || operation.hasPrefix("-") || operation.hasPrefix("=")
            {
                return value
            }
            if ShellValue.isName(name), operation.isEmpty { return nil }
        }
        let expanded = ShellValue.expand(raw[...]) { known($0)?.value }
        return expanded.contains("$") ? nil : LocatedValue(value: expanded, location: text.location)
    }

    private func words(of text: LocatedValue, option: String, diagnostics: inout [Diagnostic]) -> [String]? {
        do {
            return try ShellWords.split(text.value)
        } catch {
            let diagnostic = Diagnostic(
                location: text.location, severity: .warning,
                message: "cannot split \"\(text.value)\" into words (unbalanced quote); its \(option) is ignored")
            if !diagnostics.contains(diagnostic) { diagnostics.append(diagnostic) }
            return nil
        }
    }
}
