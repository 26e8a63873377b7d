/// One `define_milter` as the status shows it and as the manager starts it: every defined
/// milter, enabled or not.
public struct MilterCatalogEntry: Hashable, Sendable {
    /// The name.
    public var name: String
    /// `milter.enabled`.
    public var enabled: Bool
    /// `milter.connection_spec` as written, nil when none.
    public var connectionSpec: String?
    /// `milter.command` and `milter.command_options` joined, nil when there is no command.
    public var command: String?

    /// An entry.
    public init(name: String, enabled: Bool, connectionSpec: String?, command: String?) {
        self.name = name
        self.enabled = enabled
        self.connectionSpec = connectionSpec
        self.command = command
    }
}
