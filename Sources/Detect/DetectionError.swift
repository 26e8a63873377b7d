/// Why a detection run could not start at all (problems inside single files are diagnostics).
public enum DetectionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The root directory cannot be listed.
    case rootNotReadable(String)
    /// libaugeas could not be initialised.
    case augeasUnavailable(String)

    /// One line naming the problem.
    public var description: String {
        switch self {
        case .rootNotReadable(let root): return "cannot read root directory \(root)"
        case .augeasUnavailable(let message): return "cannot initialise Augeas: \(message)"
        }
    }
}
