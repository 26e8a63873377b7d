import Configuration
import MilterProtocol
import Testing

@testable import Detect

/// Paths of the test fixtures and of the package, found from this file.
enum Fixtures {
    /// The package directory (three levels above this file).
    static let packageDirectory: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path
    }()

    /// `Tests/Fixtures/roots`.
    static let rootsDirectory = packageDirectory + "/Tests/Fixtures/roots"

    /// The fixture root `<platform>-<version>/<case>`.
    static func root(_ name: String) -> String { rootsDirectory + "/" + name }

    /// The project's data directory (templates/), from the checkout.
    static let dataDirectory = DataDirectory(path: packageDirectory)

    /// A detector on the fixture root `name`.
    static func detector(_ name: String) -> MilterDetector {
        MilterDetector(root: root(name), dataDirectory: dataDirectory)
    }
}

/// One table row: a fixture root and the whole report expected from it.
struct DetectionCase: Sendable, CustomTestStringConvertible {
    /// The fixture root, `<platform>-<version>/<case>`.
    var root: String
    /// A `--platform` override; nil reads the platform from the root.
    var platform: Platform?
    /// The report expected.
    var expected: DetectionReport

    var testDescription: String { root + (platform.map { " as \($0.rawValue)" } ?? "") }

    init(_ root: String, as platform: Platform? = nil, _ expected: DetectionReport) {
        self.root = root
        self.platform = platform
        self.expected = expected
    }
}

/// The condition sets of detection.md 1.2.
enum Conditions {
    /// G: milter-greylist's.
    static let greylist = [
        "Sendmail Compatible", "Stress Notify", "Trust", "Remote Network", "S25R", "Unauthenticated",
    ]
    /// R: remote, unauthenticated, not stressed.
    static let remote = ["Remote Network", "Unauthenticated", "No Stress"]
    /// None.
    static let none: [String] = []
}

/// An expected milter; `spec` in milter-manager spelling, `source` as `file:line`.
func milter(
    _ name: String, enabled: Bool, spec: String?, source: String?, description: String?, command: String,
    options: String, conditions: [String], tarpit: Double? = nil
) -> DetectedMilter {
    let location = source.map { text -> Configuration.SourceLocation in
        let colon = text.lastIndex(of: ":")!
        return Configuration.SourceLocation(file: String(text[..<colon]), line: Int(text[text.index(after: colon)...])!)
    }
    return DetectedMilter(
        name: name, enabled: enabled, connectionSpec: spec.map { try! ConnectionSpec(parsing: $0) },
        description: description, command: command, commandOptions: options, applicableConditions: conditions,
        source: location, connectionSpecText: spec, tarpitSeconds: tarpit)
}

/// An expected warning.
func warning(_ file: String, _ line: Int, column: Int? = nil, _ message: String) -> Diagnostic {
    Diagnostic(
        location: Configuration.SourceLocation(file: file, line: line, column: column), severity: .warning,
        message: message)
}

/// Compares a report field by field, so that a failure names the milter that differs.
func expectReport(
    _ actual: DetectionReport, _ expected: DetectionReport, sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
    #expect(actual.platform == expected.platform, sourceLocation: sourceLocation)
    #expect(actual.milters.map(\.name) == expected.milters.map(\.name), sourceLocation: sourceLocation)
    for (found, wanted) in zip(actual.milters, expected.milters) {
        #expect(found == wanted, "\(wanted.name)", sourceLocation: sourceLocation)
    }
    #expect(actual.diagnostics.map(\.location) == expected.diagnostics.map(\.location), sourceLocation: sourceLocation)
    for (found, wanted) in zip(actual.diagnostics, expected.diagnostics) {
        #expect(found == wanted, sourceLocation: sourceLocation)
    }
}
