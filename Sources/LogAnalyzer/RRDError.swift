/// A librrd call that failed, with the file and librrd's own message.
public struct RRDError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was being done (`create`, `update`, `graph`, ...).
    public var operation: String
    /// The RRD file or graph concerned.
    public var path: String
    /// librrd's message.
    public var message: String

    /// An error.
    public init(operation: String, path: String, message: String) {
        self.operation = operation
        self.path = path
        self.message = message
    }

    /// `cannot update /x/session.rrd: illegal attempt to update using time ...`.
    public var description: String { "cannot \(operation) \(path): \(message)" }
}
