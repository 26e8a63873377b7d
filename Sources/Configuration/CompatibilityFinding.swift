/// A setting or construct of the original milter manager that this one accepts but does not
/// honour, with what to write instead. `milter-manager --check-config` prints them; the daemon
/// logs them at start and at every reload.
public struct CompatibilityFinding: Hashable, Sendable, CustomStringConvertible {
    /// Where it was written (`(command line)` for an option, line 0 for a whole file).
    public var location: SourceLocation
    /// What is not honoured and why.
    public var message: String
    /// What to write or do instead.
    public var instead: String
    /// Whether running with it differs from what the original would do with the same file
    /// (`--check-config` exits 1 when any finding does).
    public var changesBehaviour: Bool

    /// A finding.
    public init(location: SourceLocation, message: String, instead: String, changesBehaviour: Bool) {
        self.location = location
        self.message = message
        self.instead = instead
        self.changesBehaviour = changesBehaviour
    }

    /// `FILE:LINE: MESSAGE; instead: INSTEAD` (`FILE: ...` when the line is 0).
    public var description: String {
        let place = location.line > 0 ? "\(location.file):\(location.line)" : location.file
        return "\(place): \(message); instead: \(instead)"
    }
}

extension Provenance {
    /// The place a value was set, for findings: nil for a default.
    var findingLocation: SourceLocation? {
        switch self {
        case .default: return nil
        case .file(let at): return at
        case .detected(let at): return at ?? SourceLocation(file: "(detected)", line: 0)
        case .commandLine: return SourceLocation(file: "(command line)", line: 0)
        }
    }
}
