import MilterProtocol

/// A problem in a configuration file: where (file as seen inside the root, line, column) and
/// what. Loading goes on with the next statement; the daemon refuses to start when any
/// error occurred (exit status 78).
///
/// Printed as `FILE:LINE: MESSAGE` (the command-line contract), the column and the hint on
/// the lines after it (see `ConfigurationErrorReport`).
public struct ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Where: the file as seen inside the root, 1-based line and column.
    public var location: SourceLocation
    /// What is wrong.
    public var kind: ConfigurationErrorKind

    /// An error at `location`.
    public init(_ kind: ConfigurationErrorKind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    /// The one-line message without the location.
    public var message: String { kind.message }

    /// A suggestion for the fix, when there is one.
    public var hint: String? { kind.hint }

    /// `FILE:LINE: MESSAGE` (`FILE: MESSAGE` for an error about a whole file or directory,
    /// line 0).
    public var description: String {
        location.line > 0 ? "\(location.file):\(location.line): \(message)" : "\(location.file): \(message)"
    }
}
