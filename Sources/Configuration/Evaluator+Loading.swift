import MilterSupport

/// `load`, `load_if_exist`, `load_default` and `trust.load_envelope_from_domains`.
extension Evaluator {
    /// Reads, parses and runs the file at `path` (inside the root). Errors are recorded at
    /// `callSite` (the `load` statement), or at the file itself when it is the top-level one.
    mutating func runFile(_ path: String, callSite: SourceLocation?) {
        if loadingStack.contains(path) {
            errors.append(ConfigurationError(.loadCycle(path), at: callSite ?? SourceLocation(file: path, line: 1)))
            return
        }
        let text: String
        do {
            text = try root.readText(path)
        } catch {
            errors.append(
                ConfigurationError(
                    Self.readFailure(path, error, root: root), at: callSite ?? SourceLocation(file: path, line: 1)))
            return
        }
        run(text: text, file: path)
    }

    /// The error for a file that could not be read: a dangling link is named as such (it
    /// exists, so "no such file" would mislead).
    static func readFailure(_ path: String, _ error: FileReadError, root: RootDirectory)
        -> ConfigurationErrorKind
    {
        switch error {
        case .notFound:
            return root.entryExists(path)
                ? .unreadableFile(path, reason: "it is a dangling symbolic link") : .fileNotFound(path)
        case .unreadable, .notRegularFile, .tooLarge, .symlinkLoop:
            return .unreadableFile(path, reason: error.description)
        }
    }

    /// Parses and runs `text` as the file `path`.
    mutating func run(text: String, file path: String) {
        let (statements, parseErrors) = Parser.parse(text, file: path)
        errors += parseErrors
        let outerFile = currentFile
        loadingStack.append(path)
        currentFile = path
        loadedFiles.append(path)
        execute(statements, scope: [:])
        currentFile = outerFile
        loadingStack.removeLast()
    }

    /// `load(name)` / `load_if_exist(name)`: every file `name` resolves to, in order. The
    /// original's shipped `applicable-conditions/*.conf` files are not read (their conditions
    /// are built in: each is reported as a finding); any other file there is loaded like any
    /// configuration file, and a name there that matches nothing is no error.
    mutating func load(_ name: String, required: Bool, at here: SourceLocation) throws(ConfigurationError) -> Bool {
        let paths = resolve(name)
        if name.hasPrefix("applicable-conditions/") {
            for path in paths {
                let fileName = String(path[path.index(after: path.lastIndex(of: "/")!)...])
                if UnhonouredSettings.shippedConditionFiles.contains(fileName) {
                    findings.append(
                        CompatibilityFinding(
                            location: SourceLocation(file: path, line: 0),
                            message: "the original's \(fileName) is not read: its conditions are built in",
                            instead: "nothing, unless you changed this file: then define the change in "
                                + "milter-manager.local.conf", changesBehaviour: false))
                } else {
                    runFile(path, callSite: here)
                }
            }
            return true
        }
        if paths.isEmpty || (name.hasPrefix("/") && !root.isFile(name)) {
            if required { throw ConfigurationError(.fileNotFound(name), at: here) }
            return false
        }
        for path in paths { runFile(path, callSite: here) }
        return true
    }

    /// Resolves a name against the load paths (detection.md 4.1): an absolute name as is;
    /// otherwise, per load path in order, a directory gives its files (and stops), a file
    /// gives itself (and stops), and anything else is glob-expanded (matches accumulate).
    func resolve(_ name: String) -> [String] {
        if name.hasPrefix("/") { return [name] }
        var matches: [String] = []
        for directory in loadPaths {
            let candidate = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            if root.isDirectory(candidate) { return matches + root.files(in: candidate) }
            if root.isFile(candidate) { return matches + [candidate] }
            matches += root.glob(candidate).filter { root.isFile($0) }
        }
        return matches
    }

    /// `load_default`: what the original's `defaults/<platform>.conf` does. On a platform it
    /// knows, privilege mode is turned on and every detected milter is defined or re-opened
    /// with what detection found (enabled, description, command, connection spec, the
    /// greylist tarpit added to the timeouts, the platform's applicable conditions).
    mutating func loadDefault() {
        let platform = configuration.package.detectionPlatform
        switch platform {
        case .unknown:
            return
        case .debian, .redhat, .freebsd, .pkgsrc:
            configuration.security.privilegeMode.set(true, at: .detected(nil))
        }
        guard let detector else { return }
        let report = detector.detect(platform: platform)
        warnings += report.diagnostics
        for milter in report.milters { apply(milter) }
    }

    private mutating func apply(_ detected: DetectedMilter) {
        let at = Provenance.detected(nil)
        if configuration.milter(named: detected.name) == nil {
            configuration.milters.append(MilterDefinition(name: detected.name, definedAt: at))
        }
        guard let index = configuration.milters.firstIndex(where: { $0.name == detected.name }) else { return }
        var milter = configuration.milters[index]
        milter.enabled.set(detected.enabled, at: at)
        if let description = detected.description { milter.description.set(description, at: at) }
        if let command = detected.command {
            milter.command.set(command, at: at)
            milter.commandOptions.set(detected.commandOptions, at: at)
        }
        if let spec = detected.writtenConnectionSpec {
            milter.connectionSpec.set(spec, at: .detected(detected.source))
        }
        if let tarpit = detected.tarpitSeconds, tarpit > 0 {
            let limit = NumericLimits.timeoutSeconds.upperBound
            let writing = milter.writingTimeout.value + tarpit
            let reading = milter.readingTimeout.value + tarpit
            if max(writing, reading) > limit {
                warnings.append(
                    Diagnostic(
                        location: detected.source ?? SourceLocation(file: currentFile, line: 0), severity: .warning,
                        message: "the tarpit of \(detected.name) makes its timeouts longer than "
                            + "\(RubyLiteral.float(limit)) seconds; they are set to that"))
            }
            milter.writingTimeout.set(min(writing, limit), at: at)
            milter.readingTimeout.set(min(reading, limit), at: at)
        }
        var conditions: [Setting<String>] = []
        for name in detected.applicableConditions {
            if configuration.applicableCondition(named: name) != nil {
                conditions.append(Setting(name, at))
            } else {
                warnings.append(
                    Diagnostic(
                        location: detected.source ?? SourceLocation(file: currentFile, line: 0), severity: .warning,
                        message: "detected milter \(detected.name) names the unknown condition \"\(name)\"; skipped"))
            }
        }
        milter.applicableConditions = Self.unique(conditions)
        milter.applicableConditionsProvenance = at
        configuration.milters[index] = milter
    }

    /// `trust.load_envelope_from_domains(path)`: one domain per line (lower-cased), `/re/`
    /// lines as case-insensitive regexes, blank and `#` lines ignored.
    mutating func loadTrustedDomains(_ name: String, at here: SourceLocation) throws(ConfigurationError) {
        guard let path = resolve(name).first, root.isFile(path) else {
            throw ConfigurationError(.fileNotFound(name), at: here)
        }
        let text: String
        do {
            text = try root.readText(path)
        } catch {
            throw ConfigurationError(Self.readFailure(path, error, root: root), at: here)
        }
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: " \t\r")
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let lineLocation = SourceLocation(file: path, line: offset + 1)
            let matcher: TextMatcher
            if line.count >= 2, line.hasPrefix("/"), line.hasSuffix("/") {
                let regex = RubyRegex(source: String(line.dropFirst().dropLast()), ignoreCase: true)
                if let reason = regex.compilationError() {
                    errors.append(
                        ConfigurationError(.invalidRegex(regex.description, reason: reason), at: lineLocation))
                    continue
                }
                matcher = .regex(regex)
            } else {
                matcher = .exact(line.lowercased())
            }
            configuration.conditionParameters.trust.envelopeFromDomains.append(Setting(matcher, .file(lineLocation)))
        }
    }
}
