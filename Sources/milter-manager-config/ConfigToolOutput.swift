import ArgumentParser
import ConfigGen
import Configuration
import Detect

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

    /// Writes `line` and a newline to standard error.
    static func printError(_ line: String) {
        let text = line + "\n"
        _ = text.withCString { write(2, $0, strlen($0)) }
    }

    /// Prints each line of `error` with the program name and returns the exit code to throw.
    static func fail(_ error: ConfigGenError) -> ExitCode {
        for line in error.description.split(separator: "\n", omittingEmptySubsequences: false) {
            printError("\(program): \(line)")
        }
        return ExitCode(error.exitStatus)
    }

    /// Prints detection's diagnostics (`FILE:LINE: MESSAGE`) to standard error.
    static func printDiagnostics(_ report: DetectionReport) {
        for diagnostic in report.diagnostics {
            printError(
                "\(program): \(diagnostic.location.file):\(diagnostic.location.line): "
                    + "\(diagnostic.severity.rawValue): \(diagnostic.message)")
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
