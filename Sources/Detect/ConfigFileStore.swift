import Configuration

/// The configuration files detection reads, each read once per run (through the root) and
/// parsed by its own tolerant, linear reader: shell-variable files (`ShellAssignmentScanner`),
/// `Key value` files (`KeyValueConf`) and greylist.conf (`GreylistConf`).
///
/// A missing file is simply absent. A file that exists but cannot be read is reported once,
/// as a warning, when a detector asks for it. Syntax a reader does not know is skipped, never
/// reported: detectors report the settings they need when those are malformed.
final class ConfigFileStore {
    /// A shell-variables file: its assignments in order.
    struct ShellFile: Hashable {
        /// The path as first requested (inside the root).
        var path: String
        /// The assignments in file order (quotes kept in `raw`).
        var assignments: [ShellAssignmentScanner.Assignment]
    }

    /// A `Key value` file.
    struct KeyValueFile: Hashable {
        /// The path as first requested (inside the root).
        var path: String
        /// Its entries.
        var conf: KeyValueConf
    }

    /// A greylist.conf.
    struct GreylistFile: Hashable {
        /// The path as first requested (inside the root).
        var path: String
        /// What detection reads from it.
        var conf: GreylistConf
    }

    private let fileSystem: RootFileSystem
    private var shellFiles: [String: ShellFile] = [:]  // keyed by the resolved path
    private var keyValueFiles: [String: KeyValueFile] = [:]
    private var greylistFiles: [String: GreylistFile] = [:]
    private var problems: [String: Diagnostic] = [:]  // resolved path -> why it was not read

    /// A store reading from `fileSystem`.
    init(fileSystem: RootFileSystem) {
        self.fileSystem = fileSystem
    }

    /// The shell-variables file at `path`; nil when it is missing or unreadable.
    func shellVariables(_ path: String) -> ShellFile? {
        read(path, cache: &shellFiles) { text, logical in
            ShellFile(path: logical, assignments: ShellAssignmentScanner(allowsLowercase: true).assignments(in: text))
        }
    }

    /// The `Key value` file at `path`; nil when it is missing or unreadable.
    func keyValues(_ path: String) -> KeyValueFile? {
        read(path, cache: &keyValueFiles) { text, logical in
            KeyValueFile(path: logical, conf: KeyValueConf(parsing: text))
        }
    }

    /// The greylist.conf at `path`; nil when it is missing or unreadable.
    func greylist(_ path: String) -> GreylistFile? {
        read(path, cache: &greylistFiles) { text, logical in
            GreylistFile(path: logical, conf: GreylistConf(parsing: text))
        }
    }

    /// The files that exist but could not be read, in path order.
    func diagnostics() -> [Diagnostic] {
        problems.keys.sorted().compactMap { problems[$0] }
    }

    private func read<Parsed>(
        _ path: String, cache: inout [String: Parsed], parse: (String, String) -> Parsed
    ) -> Parsed? {
        guard let real = fileSystem.resolve(path), fileSystem.isFile(path) else { return nil }
        if let parsed = cache[real] { return parsed }
        guard let text = fileSystem.readFile(path) else {
            problems[real] = Diagnostic(
                location: SourceLocation(file: path, line: 0), severity: .warning,
                message: "cannot read this file; settings in it are ignored")
            return nil
        }
        let parsed = parse(text, path)
        cache[real] = parsed
        return parsed
    }
}
