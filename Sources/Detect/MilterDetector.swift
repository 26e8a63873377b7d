import Configuration

/// Detects the milters installed under a file-system root: which known milters exist,
/// whether each is enabled, its connection spec, description, start command and the
/// applicable conditions its platform gives it. Reads the root only, changes nothing.
///
/// ```swift
/// let detector = MilterDetector(root: "/", dataDirectory: DataDirectory.locate())
/// let report = detector.detect(platform: nil)   // platform read from the root
/// ```
public struct MilterDetector: MilterDetecting {
    /// The file-system root to read (`/` on a live system).
    public var root: String
    /// Not used by detection any more (its readers are built in and need no lenses); kept so
    /// that callers written for the Augeas readers still compile.
    public var dataDirectory: DataDirectory?

    /// A detector for `root` (`dataDirectory` is not needed; see its property).
    public init(root: String = "/", dataDirectory: DataDirectory? = nil) {
        self.root = root
        self.dataDirectory = dataDirectory
    }

    /// Detects for `platform` (nil: read it from the root). A root that cannot be read gives
    /// an empty report with one error diagnostic; use `run(platform:)` to tell it apart.
    public func detect(platform: Platform?) -> DetectionReport {
        do {
            return try run(platform: platform)
        } catch {
            return DetectionReport(
                platform: platform ?? .unknown, milters: [],
                diagnostics: [
                    Diagnostic(
                        location: SourceLocation(file: "/", line: 0), severity: .error, message: error.description)
                ])
        }
    }

    /// The platform the root looks like.
    public func identifyPlatform() -> Platform {
        PlatformIdentifier(fileSystem: RootFileSystem(root: root)).identify()
    }

    /// Detects for `platform` (nil: read it from the root); throws when the root itself
    /// cannot be read. Problems in single files become diagnostics.
    public func run(platform: Platform?) throws(DetectionError) -> DetectionReport {
        let fileSystem = RootFileSystem(root: root)
        guard fileSystem.rootIsReadable() else { throw .rootNotReadable(root) }
        let platform = platform ?? PlatformIdentifier(fileSystem: fileSystem).identify()
        let profile = PlatformProfile.profile(for: platform)
        guard !profile.candidates.isEmpty else {
            return DetectionReport(platform: platform, milters: [], diagnostics: [])
        }

        let files = ConfigFileStore(fileSystem: fileSystem)
        let evaluator = CandidateEvaluator(profile: profile, fileSystem: fileSystem, files: files)
        var milters: [DetectedMilter] = []
        var diagnostics: [Diagnostic] = []
        for candidate in profile.candidates {
            milters += evaluator.evaluate(candidate, diagnostics: &diagnostics)
        }
        let all = Self.unique(diagnostics + files.diagnostics())
        return DetectionReport(platform: platform, milters: milters, diagnostics: all)
    }

    private static func unique(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        var seen: Set<Diagnostic> = []
        return diagnostics.filter { seen.insert($0).inserted }.sorted {
            ($0.location.file, $0.location.line, $0.message) < ($1.location.file, $1.location.line, $1.message)
        }
    }
}
