#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Loads milter-manager.conf the way the daemon does at start-up and on every reload:
/// defaults for the platform, then the first `milter-manager.conf` found in the load path
/// (which may `load_default` and `load_if_exist "milter-manager.local.conf"`).
///
/// ```swift
/// let loader = ConfigurationLoader(
///     root: "/", configDirectory: "/etc/milter-manager", platform: .debian,
///     detector: MilterDetector(root: "/"))
/// let result = loader.load()
/// guard result.succeeded else { /* print result.errors, exit 78 */ }
/// let configuration = result.configuration.applying(overrides)
/// ```
///
/// Error semantics (a deliberate change from the original, which abandons the rest of the
/// load on most errors): every statement that fails is recorded with file, line and column
/// and loading goes on with the next statement, so one run reports every problem. Callers
/// must not start with a configuration that has errors: the daemon exits 78 and
/// `--show-config` prints the errors and exits 78.
public struct ConfigurationLoader: Sendable {
    /// The default configuration directory (inside the root).
    public static let defaultConfigDirectory = "/etc/milter-manager"

    /// `$MILTER_MANAGER_CONFIG_DIR` as a load path (searched after `--config-dir`), if set.
    public static func environmentConfigDirectories() -> [String] {
        guard let value = getenv("MILTER_MANAGER_CONFIG_DIR") else { return [] }
        let text = String(cString: value)
        return text.isEmpty ? [] : [text]
    }
    /// The main file's name.
    public static let fileName = "milter-manager.conf"
    /// The administrator's own file, loaded last by the stock and generated files.
    public static let localFileName = "milter-manager.local.conf"
    /// What runs when no milter-manager.conf exists: the stock file's effective statements.
    public static let builtInDefaultText = "load_default\nload_if_exist \"\(localFileName)\"\n"
    /// The name the built-in default is reported under.
    public static let builtInDefaultName = "(built-in milter-manager.conf)"

    /// The file-system root every path is read under.
    public var root: RootDirectory
    /// Directories (inside the root) searched for relative names, in order.
    public var loadPaths: [String]
    /// The platform whose build-time defaults apply (and `package.platform`'s default).
    public var platform: Platform
    /// What `load_default` calls; nil: no milter is detected.
    public var detector: (any MilterDetecting)?
    /// Directories the administrator named (`--config-dir`, `$MILTER_MANAGER_CONFIG_DIR`):
    /// each must exist and be readable, or loading fails naming it.
    public var requiredDirectories: [String]
    /// What checks Lua condition scripts at load (MilterScripting's checker in the daemon);
    /// nil: scripts are read but not compiled until the runtime loads them.
    public var scriptChecker: (any ConditionScriptChecking)?

    /// A loader with an explicit load path.
    public init(
        root: String, loadPaths: [String], platform: Platform, detector: (any MilterDetecting)?,
        requiredDirectories: [String] = []
    ) {
        self.root = RootDirectory(root)
        self.loadPaths = loadPaths
        self.platform = platform
        self.detector = detector
        self.requiredDirectories = requiredDirectories
    }

    /// A loader whose load path is `configDirectory` (`--config-dir`), then
    /// `extraDirectories` (e.g. `$MILTER_MANAGER_CONFIG_DIR`), then `/etc/milter-manager`.
    public init(
        root: String = "/", configDirectory: String? = nil, extraDirectories: [String] = [], platform: Platform,
        detector: (any MilterDetecting)?
    ) {
        var paths: [String] = []
        for directory in [configDirectory].compactMap({ $0 }) + extraDirectories + [Self.defaultConfigDirectory]
        where !paths.contains(directory) {
            paths.append(directory)
        }
        self.init(
            root: root, loadPaths: paths, platform: platform, detector: detector,
            requiredDirectories: [configDirectory].compactMap { $0 } + extraDirectories)
    }

    /// The defaults for the platform, before any file.
    public var defaults: ManagerConfiguration { ManagerConfiguration(platform: platform) }

    /// Loads the first milter-manager.conf of the load path, or the built-in default.
    ///
    /// A directory the administrator named that does not exist or cannot be read, and a
    /// milter-manager.conf that exists in any form (a dangling or looping link, a FIFO, an
    /// unreadable file) but cannot be read, fail the load naming the path: the built-in
    /// default applies only when the load path really holds no milter-manager.conf.
    public func load() -> ConfigurationLoadResult {
        var evaluator = makeEvaluator()
        let mainFile: String?
        switch findMainFile() {
        case .failure(let error):
            evaluator.errors.append(error)
            return result(of: evaluator, usedBuiltInDefault: false)
        case .success(let found):
            mainFile = found
        }
        if let mainFile {
            evaluator.runFile(mainFile, callSite: nil)
        } else {
            evaluator.run(text: Self.builtInDefaultText, file: Self.builtInDefaultName)
            evaluator.loadedFiles.removeAll { $0 == Self.builtInDefaultName }
        }
        return result(of: evaluator, usedBuiltInDefault: mainFile == nil)
    }

    /// The first directory of the load path that has a milter-manager.conf entry (whatever it
    /// is: reading it reports what is wrong), nil when none has; an error for a named
    /// directory that is missing and for any directory that exists but cannot be listed.
    private func findMainFile() -> Result<String?, ConfigurationError> {
        for directory in loadPaths {
            let at = SourceLocation(file: directory, line: 0)
            guard root.entryExists(directory) else {
                if requiredDirectories.contains(directory) {
                    return .failure(ConfigurationError(.configDirectoryNotFound(directory), at: at))
                }
                continue
            }
            guard root.isDirectory(directory) else {
                return .failure(
                    ConfigurationError(.unreadableFile(directory, reason: "it is not a directory"), at: at))
            }
            guard root.names(in: directory) != nil else {
                let reason = String(cString: strerror(errno))
                return .failure(ConfigurationError(.unreadableFile(directory, reason: reason), at: at))
            }
            let candidate = directory.hasSuffix("/") ? directory + Self.fileName : directory + "/" + Self.fileName
            if root.entryExists(candidate) { return .success(candidate) }
        }
        return .success(nil)
    }

    /// Loads `text` as if it were the file `file` (inside the root), instead of searching.
    public func load(text: String, file: String) -> ConfigurationLoadResult {
        var evaluator = makeEvaluator()
        evaluator.run(text: text, file: file)
        return result(of: evaluator, usedBuiltInDefault: false)
    }

    private func makeEvaluator() -> Evaluator {
        Evaluator(
            configuration: defaults, root: root, loadPaths: loadPaths, detector: detector,
            scriptChecker: scriptChecker)
    }

    private func result(of evaluator: Evaluator, usedBuiltInDefault: Bool) -> ConfigurationLoadResult {
        ConfigurationLoadResult(
            configuration: evaluator.configuration,
            errors: evaluator.errors + evaluator.configuration.selfConnectionErrors(), warnings: evaluator.warnings,
            loadedFiles: evaluator.loadedFiles, usedBuiltInDefault: usedBuiltInDefault, findings: evaluator.findings)
    }
}
