import Configuration
import Detect

/// `milter-manager-config generate`: detects the milters under a root and writes
/// `<config dir>/milter-manager.conf` from the template, only when its text changes.
///
/// ```swift
/// let generator = ConfigurationGenerator(root: "/", templates: try TemplateSet.locate())
/// let plan = try generator.plan()
/// print(plan.diff)                  // --dry-run
/// let outcome = try generator.write(plan)
/// ```
///
/// Safety rules: the rendered text must load with `ConfigurationLoader` without an error, and
/// an existing file that does not load is never replaced (the administrator must look at it).
public struct ConfigurationGenerator: Sendable {
    /// The file-system root detection reads and the file is written under.
    public var root: String
    /// The platform (nil: read from the root).
    public var platform: Platform?
    /// The directory (inside the root) the file is written to.
    public var configDirectory: String
    /// The detector `generate` uses.
    public var detector: MilterDetector
    /// The templates.
    public var templates: TemplateSet

    /// A generator for `root`; `configDirectory` is a path inside the root.
    public init(
        root: String, platform: Platform? = nil,
        configDirectory: String = ConfigurationLoader.defaultConfigDirectory,
        dataDirectory: DataDirectory? = DataDirectory.locate(), templates: TemplateSet
    ) {
        self.root = root
        self.platform = platform
        self.configDirectory = configDirectory
        self.detector = MilterDetector(root: root, dataDirectory: dataDirectory)
        self.templates = templates
    }

    /// The file's path inside the root.
    public var path: String {
        (configDirectory.hasSuffix("/") ? configDirectory : configDirectory + "/") + ConfigurationLoader.fileName
    }

    /// What `write` would do.
    public struct Plan: Hashable, Sendable {
        /// The file's path inside the root.
        public var path: String
        /// What detection found (its diagnostics are worth showing).
        public var report: DetectionReport
        /// The current bytes, nil when there is no file.
        public var currentBytes: [UInt8]?
        /// The text to write.
        public var newText: String

        /// The current text (invalid UTF-8 shown as U+FFFD), nil when there is no file.
        public var currentText: String? { currentBytes.map { String(decoding: $0, as: UTF8.self) } }

        /// True when the file already holds `newText`.
        public var isUpToDate: Bool { currentBytes == Array(newText.utf8) }

        /// The change as a unified diff (empty when up to date).
        public var diff: String {
            UnifiedDiff.render(
                old: currentBytes ?? [], new: Array(newText.utf8), oldName: currentBytes == nil ? "/dev/null" : path,
                newName: path)
        }
    }

    /// Detects, renders and checks; writes nothing.
    public func plan() throws(ConfigGenError) -> Plan {
        let report: DetectionReport
        do {
            report = try detector.run(platform: platform)
        } catch {
            switch error {
            case .rootNotReadable(let root): throw .rootNotReadable(root)
            case .augeasUnavailable: throw .detectionFailed(error)
            }
        }
        let chroot = try PostfixChroot.detect(root: root)
        let newText = try ManagerConfigurationRenderer(templates: templates).render(report, chroot: chroot)
        let loader = makeLoader(platform: report.platform)
        let generatedErrors = errors(in: loader.load(text: newText, file: path))
        guard generatedErrors.isEmpty else { throw .generatedConfigurationInvalid(generatedErrors) }

        let currentBytes: [UInt8]?
        do {
            currentBytes = try FileUpdater(root: loader.root).currentBytes(of: path)
        } catch {
            guard case .unreadableFile(let file, let reason) = error else { throw error }
            throw .configurationUnreadable(path: file, reason: reason)
        }
        if let currentBytes, currentBytes != Array(newText.utf8) {
            let currentText = String(decoding: currentBytes, as: UTF8.self)
            let existingErrors = errors(in: loader.load(text: currentText, file: path))
            guard existingErrors.isEmpty else { throw .existingConfigurationInvalid(existingErrors) }
        }
        return Plan(path: path, report: report, currentBytes: currentBytes, newText: newText)
    }

    /// Writes the plan's text (nothing when up to date), keeping the previous file as `.bak`;
    /// the configuration directory and its missing parents are created inside the root. Nothing
    /// is written when the file changed since the plan read it.
    public func write(_ plan: Plan) throws(ConfigGenError) -> FileUpdater.Outcome {
        try FileUpdater(root: RootDirectory(root)).update(
            plan.path, with: Array(plan.newText.utf8), expecting: .some(plan.currentBytes))
    }

    /// A loader as the daemon would use with `--config-dir` set to this directory, without
    /// detection (the file itself is checked, not what detection adds).
    func makeLoader(platform: Platform) -> ConfigurationLoader {
        ConfigurationLoader(root: root, configDirectory: configDirectory, platform: platform, detector: nil)
    }

    /// The errors located in the main file itself: a broken milter-manager.local.conf does not
    /// make the main file invalid.
    func errors(in result: ConfigurationLoadResult) -> [ConfigurationError] {
        result.errors.filter { $0.location.file == path }
    }
}
