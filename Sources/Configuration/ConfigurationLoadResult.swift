/// What one (re)load produced: the configuration, the errors (the daemon refuses to start
/// when there is any), warnings, and which files were read.
public struct ConfigurationLoadResult: Hashable, Sendable {
    /// The configuration, with every statement that could run applied.
    public var configuration: ManagerConfiguration
    /// Every statement that failed, in the order met.
    public var errors: [ConfigurationError]
    /// Detection diagnostics and ignored settings; never fatal.
    public var warnings: [Diagnostic]
    /// The files evaluated (as seen inside the root), in order.
    public var loadedFiles: [String]
    /// What the original would honour and this one does not (`--check-config`).
    public var findings: [CompatibilityFinding] = []
    /// True when no milter-manager.conf exists in the load path and the built-in default
    /// (`load_default` + `load_if_exist "milter-manager.local.conf"`) was used.
    public var usedBuiltInDefault: Bool

    /// Whether some finding makes running differ from the original.
    public var changesBehaviour: Bool { findings.contains(where: \.changesBehaviour) }

    /// True when there was no error.
    public var succeeded: Bool { errors.isEmpty }

    /// A result.
    public init(
        configuration: ManagerConfiguration, errors: [ConfigurationError], warnings: [Diagnostic],
        loadedFiles: [String], usedBuiltInDefault: Bool, findings: [CompatibilityFinding] = []
    ) {
        self.findings = findings
        self.configuration = configuration
        self.errors = errors
        self.warnings = warnings
        self.loadedFiles = loadedFiles
        self.usedBuiltInDefault = usedBuiltInDefault
    }
}
