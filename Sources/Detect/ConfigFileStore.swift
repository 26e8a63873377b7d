import Configuration

/// The configuration files detection reads through Augeas, requested by name and lens while
/// the detectors run and loaded in batches.
///
/// A detector asks for a file; if the file has not been loaded yet the store remembers the
/// request and answers nil. `MilterDetector` runs the detectors again after each
/// `loadPending()` until no new file is asked for, so the files needed are loaded with as
/// few `aug_load` calls as possible (one, unless a variable names a non-default file) and a
/// lens is compiled only when a file that needs it exists.
final class ConfigFileStore {
    /// The lenses detection uses: our own, small ones (see `lenses/`).
    enum Lens: String {
        /// `KEY=VALUE` files: sysconfig, default, EnvironmentFile, rc.conf.
        case shellVariables = "Milter_Shellvars.lns"
        /// `Key value` files: clamav-milter.conf, opendkim.conf, enma.conf.
        case keyValue = "Milter_Keyvalue.lns"
        /// milter-greylist's greylist.conf.
        case greylist = "Greylist.lns"
    }

    /// One top-level entry of a loaded file.
    struct Entry: Hashable {
        /// Variable name or keyword.
        var key: String
        /// Raw value (quotes kept for shell files), nil when the entry has none.
        var value: String?
        /// 1-based line.
        var line: Int
    }

    /// A loaded file.
    struct File: Hashable {
        /// The path as seen inside the root (as first requested).
        var path: String
        /// Entries in document order, comments left out.
        var entries: [Entry]

        /// The last entry named `key` (later lines win, as in the daemons).
        func last(_ key: String) -> Entry? { entries.last { $0.key == key } }
    }

    private enum State {
        case pending(Lens)
        case loaded(File)
        case failed
    }

    private let fileSystem: RootFileSystem
    private let session: AugeasSession?
    private var states: [String: State] = [:]  // keyed by the resolved path
    private var logicalPaths: [String: String] = [:]  // resolved path -> path as first asked
    private var consulted: Set<String> = []
    private var problems: [String: Diagnostic] = [:]  // resolved path -> its load problem
    private var lensProblems: [Diagnostic] = []

    /// A store reading through `session` (nil when Augeas could not start: every file is
    /// then reported as unreadable).
    init(fileSystem: RootFileSystem, session: AugeasSession?) {
        self.fileSystem = fileSystem
        self.session = session
    }

    /// Whether some requested file waits for `loadPending()`.
    var hasPendingRequests: Bool {
        states.values.contains {
            if case .pending = $0 { return true }
            return false
        }
    }

    /// Starts a new detection pass: forgets which files were consulted.
    func beginPass() { consulted = [] }

    /// The file at `path` read with `lens`; nil when it is missing, unparsable or not loaded yet.
    func file(_ path: String, lens: Lens) -> File? {
        guard let real = fileSystem.resolve(path), fileSystem.isFile(path) else { return nil }
        consulted.insert(real)
        if logicalPaths[real] == nil { logicalPaths[real] = path }
        switch states[real] {
        case .none:
            states[real] = session == nil ? .failed : .pending(lens)
            if session == nil {
                problems[real] = Diagnostic(
                    location: SourceLocation(file: path, line: 0), severity: .warning,
                    message: "not read: Augeas is unavailable")
            }
            return nil
        case .pending, .failed:
            return nil
        case .loaded(let file):
            return file
        }
    }

    /// Loads every pending file in one `aug_load` and records the problems Augeas reports.
    func loadPending() {
        guard let session else { return }
        let pending = states.compactMap { path, state -> (String, Lens)? in
            if case .pending(let lens) = state { return (path, lens) }
            return nil
        }
        guard !pending.isEmpty else { return }
        for (path, lens) in pending.sorted(by: { $0.0 < $1.0 }) { session.transform(lens: lens.rawValue, path: path) }
        session.load()
        for error in session.errors() {
            if let file = error.file, states[file] != nil {
                if case .pending(let lens) = states[file] {
                    problems[file] = diagnostic(for: error, file: file, lens: lens)
                    states[file] = .failed
                }
            } else if error.file == nil {
                let lens = error.lens ?? "?"
                let message = "internal error: lens \(lens) unavailable: \(error.message ?? error.kind)"
                let diagnostic = Diagnostic(
                    location: SourceLocation(file: "/augeas/load/\(lens)", line: 0), severity: .error, message: message)
                if !lensProblems.contains(diagnostic) { lensProblems.append(diagnostic) }
            }
        }
        for (path, _) in pending {
            guard case .pending = states[path] else { continue }
            guard let nodes = session.nodes(of: path) else {
                // Not loaded and no error: the lens itself was missing (reported above).
                states[path] = .failed
                continue
            }
            let lines = LineIndex(fileSystem.readFile(path) ?? "")
            let entries = nodes.compactMap { node -> Entry? in
                guard !node.label.hasPrefix("#"), !node.label.hasPrefix("@") else { return nil }
                return Entry(key: node.label, value: node.value, line: node.offset.map(lines.line(at:)) ?? 0)
            }
            states[path] = .loaded(File(path: logicalPaths[path] ?? path, entries: entries))
        }
    }

    /// Problems of the files consulted in the current pass, plus lens problems.
    func diagnostics() -> [Diagnostic] {
        lensProblems + consulted.sorted().compactMap { problems[$0] }
    }

    private func diagnostic(for error: AugeasSession.LoadError, file: String, lens: Lens) -> Diagnostic {
        let path = logicalPaths[file] ?? file
        let detail = error.message.map { " (\($0))" } ?? ""
        switch error.kind {
        case "parse_failed":
            let text = fileSystem.readFile(file) ?? ""
            let line = error.line ?? 0
            let column = (error.column ?? 0) + 1
            let lineText = text.lines().dropFirst(max(line - 1, 0)).first.map { ": \"\($0.trimmingBlanks())\"" } ?? ""
            var message = "cannot parse near line \(line), column \(column)\(lineText)"
            var location = SourceLocation(file: path, line: line, column: column)
            if lens == .shellVariables,
                let opened = UnbalancedQuote.openingLine(in: text, errorLine: line, errorColumn: column)
            {
                message = "unbalanced quote on line \(opened) (\(message))"
                location = SourceLocation(file: path, line: opened)
            }
            return Diagnostic(
                location: location, severity: .warning,
                message: message + "; settings in this file are ignored\(detail)")
        default:
            return Diagnostic(
                location: SourceLocation(file: path, line: 0), severity: .warning,
                message: "cannot read (\(error.kind))\(detail); settings in this file are ignored")
        }
    }
}
