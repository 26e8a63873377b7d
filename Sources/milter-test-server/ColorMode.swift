#if canImport(Glibc)
    import Glibc
#endif
import ArgumentParser

/// `--color[=yes|true|no|false|auto]`: colour `-`/`+` lines of `--output-message`.
enum ColorMode: String, ExpressibleByArgument, CaseIterable, Sendable {
    case yes, `true`, no, `false`, auto

    /// Whether to colour, given whether standard output is a terminal.
    var isEnabled: Bool {
        switch self {
        case .yes, .true: return true
        case .no, .false: return false
        case .auto:
            guard isatty(STDOUT_FILENO) != 0, let term = getenv("TERM") else { return false }
            let name = String(cString: term)
            return name != "dumb" && !name.isEmpty
        }
    }

    /// The command line with a bare `--color` turned into `--color=yes` (its value is optional,
    /// as in the original; ArgumentParser options always take one).
    static func normalizingArguments(_ arguments: [String]) -> [String] {
        arguments.map { $0 == "--color" ? "--color=yes" : $0 }
    }
}
