import Configuration

/// What one service manager says about one milter, before its socket is looked up.
struct ServiceDefinition {
    /// The milter's name (the candidate's, or `milter-opendkim-<profile>`).
    var name: String
    /// Variables, command line and header of the service.
    var context: ServiceContext
    /// The description the service manager gives.
    var description: String?
    /// The command that starts it.
    var command: String
    /// Its arguments, one element per shell word.
    var commandOptions: [String]
    /// Whether the service manager itself would start it (wants link, `start on`, rc links,
    /// `ENABLED`, `<name>_enable`).
    var enabledBySystem: Bool
    /// Whether it only counts as enabled when a socket was found (systemd, upstart, RedHat SysV).
    var requiresSpec: Bool
    /// A systemd unit masked by the administrator (never started, whatever else says).
    var masked = false
}
