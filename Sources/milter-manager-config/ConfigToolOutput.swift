import ArgumentParser
import ConfigGen
import Configuration
import Detect
import MilterProtocol
import MilterSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How every subcommand reports: results on standard output, problems on standard error as
/// `milter-manager-config: MESSAGE` (one line each), and the exit status the error calls for.
enum ConfigToolOutput {
    /// The program name that starts every error line.
    static let program = "milter-manager-config"

    /// Prints each line of `error` with the program name and returns the exit code to throw.
    static func fail(_ error: ConfigGenError) -> ExitCode {
        for line in error.lines { StandardStream.error.writeLine("\(program): \(line)") }
        return ExitCode(error.exitStatus)
    }

    /// Prints detection's diagnostics (`FILE:LINE: [SEVERITY: ]MESSAGE`) to standard error, one
    /// line each: control characters in file names and messages are escaped.
    static func printDiagnostics(_ report: DetectionReport, withSeverity: Bool = true) {
        for diagnostic in report.diagnostics {
            let severity = withSeverity ? "\(diagnostic.severity.rawValue): " : ""
            StandardStream.error.writeLine(
                "\(program): "
                    + ControlCharacters.escapedIfNeeded(
                        "\(diagnostic.location.file):\(diagnostic.location.line): \(severity)\(diagnostic.message)"))
        }
    }

    /// The templates of the running installation, or the exit code after saying why not.
    static func templates() throws(ExitCode) -> TemplateSet {
        do {
            return try TemplateSet.locate()
        } catch {
            throw fail(error)
        }
    }
}
