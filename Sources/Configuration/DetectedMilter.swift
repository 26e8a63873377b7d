import MilterProtocol

/// Where a value came from: a file (as seen inside the root) and a 1-based line.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    /// The file path as seen from inside the root (no root prefix).
    public var file: String
    /// 1-based line number.
    public var line: Int
    /// 1-based column, when known.
    public var column: Int?

    /// A location.
    public init(file: String, line: Int, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line` or `file:line:column`.
    public var description: String {
        column.map { "\(file):\(line):\($0)" } ?? "\(file):\(line)"
    }
}

/// A problem found while reading a file; reported, never fatal for the other files.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    /// How serious it is.
    public enum Severity: String, Hashable, Sendable {
        /// Something was ignored or guessed.
        case warning
        /// Something could not be read at all.
        case error
    }

    /// Where (file as seen inside the root, 1-based line; line 0 when the whole file is meant).
    public var location: SourceLocation
    /// How serious it is.
    public var severity: Severity
    /// What is wrong, in one line.
    public var message: String

    /// A diagnostic.
    public init(location: SourceLocation, severity: Severity, message: String) {
        self.location = location
        self.severity = severity
        self.message = message
    }

    /// `file:line: severity: message`.
    public var description: String { "\(location): \(severity.rawValue): \(message)" }
}

/// One milter found by detection, as `load_default` applies it to the configuration.
public struct DetectedMilter: Hashable, Sendable {
    /// The milter's name (`milter-greylist`, `clamav-milter`, ...).
    public var name: String
    /// Whether the service manager starts it.
    public var enabled: Bool
    /// The socket it listens on, nil when none was found.
    public var connectionSpec: ConnectionSpec?
    /// A short description (usually from the init script or unit).
    public var description: String?
    /// The command that starts it (init script, rc.d script, `systemctl`).
    public var command: String?
    /// Arguments for `command` (`start`).
    public var commandOptions: String?
    /// Names of the applicable conditions its platform assigns, in order.
    public var applicableConditions: [String]
    /// Where the connection spec was read, when it was read from a file.
    public var source: SourceLocation?
    /// The connection spec as detection wrote it (`local:` kept as found, which
    /// `connectionSpec` reads as `unix:`); nil when none was found.
    public var connectionSpecText: String?
    /// milter-greylist's longest ACL `tarpit`, in seconds; `load_default` adds it to the
    /// milter's writing and reading timeouts (7.0 + 125 → 132.0).
    public var tarpitSeconds: Double?

    /// A detected milter.
    public init(
        name: String, enabled: Bool, connectionSpec: ConnectionSpec?, description: String? = nil,
        command: String? = nil, commandOptions: String? = nil, applicableConditions: [String] = [],
        source: SourceLocation? = nil, connectionSpecText: String? = nil, tarpitSeconds: Double? = nil
    ) {
        self.name = name
        self.enabled = enabled
        self.connectionSpec = connectionSpec
        self.description = description
        self.command = command
        self.commandOptions = commandOptions
        self.applicableConditions = applicableConditions
        self.source = source
        self.connectionSpecText = connectionSpecText
        self.tarpitSeconds = tarpitSeconds
    }
}

/// Everything one detection run found under a root.
public struct DetectionReport: Hashable, Sendable {
    /// The platform the root was read as.
    public var platform: Platform
    /// Milters in the platform's candidate order (installed ones only).
    public var milters: [DetectedMilter]
    /// Problems met on the way; each names file and line.
    public var diagnostics: [Diagnostic]

    /// A report.
    public init(platform: Platform, milters: [DetectedMilter], diagnostics: [Diagnostic]) {
        self.platform = platform
        self.milters = milters
        self.diagnostics = diagnostics
    }
}

/// What `load_default` calls to detect the installed milters. Detect provides the real one;
/// the executables pass it in, so Configuration does not depend on Detect.
public protocol MilterDetecting: Sendable {
    /// Detects milters for `platform` (nil: let the detector read it from its root).
    func detect(platform: Platform?) -> DetectionReport
}

extension DetectedMilter {
    /// The spec as `load_default` sets it: the detected text when it parses (`local:` kept),
    /// else the canonical spelling of the parsed spec, else none.
    public var writtenConnectionSpec: WrittenConnectionSpec? {
        if let text = connectionSpecText ?? connectionSpec?.description,
            let spec = try? WrittenConnectionSpec(parsing: text)
        {
            return spec
        }
        return connectionSpec.map(WrittenConnectionSpec.init)
    }
}
