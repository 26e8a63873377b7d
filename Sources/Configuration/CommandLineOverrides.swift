/// The daemon's command-line options that override the loaded configuration
/// (detection.md 4.7). Applied after every (re)load; each value set here wins and is shown
/// as `# command line` by `--show-config`.
public struct CommandLineOverrides: Hashable, Sendable {
    /// `-s`, `--connection-spec`.
    public var connectionSpec: WrittenConnectionSpec?
    /// `--daemon` (true) / `--no-daemon` (false).
    public var daemon: Bool?
    /// `-u`, `--user-name`.
    public var effectiveUser: String?
    /// `-g`, `--group-name`.
    public var effectiveGroup: String?
    /// `--unix-socket-group`.
    public var unixSocketGroup: String?
    /// `--unix-socket-mode`.
    public var unixSocketMode: Int?
    /// `--pid-file`.
    public var pidFile: String?
    /// `--log-level`, `--verbose` (all), `--quiet` (none); applied relative to the loaded level
    /// when it starts with `+` or `-`.
    public var logLevel: String?
    /// `--log-path` (`-` = standard output, stored as nil).
    public var logPath: String?
    /// `--syslog`.
    public var useSyslog: Bool?
    /// `--syslog-facility`.
    public var syslogFacility: SyslogFacility?
    /// `--n-workers`.
    public var nWorkers: Int?
    /// `--event-loop-backend`.
    public var eventLoopBackend: EventLoopBackend?
    /// `--packet-buffer-size`.
    public var packetBufferSize: Int?
    /// `--max-pending-finished-sessions`.
    public var maxPendingFinishedSessions: Int?

    /// No override.
    public init() {}
}

extension ManagerConfiguration {
    /// The configuration with `overrides` written over it (`# command line` provenance).
    /// An invalid `logLevel` text leaves the level unchanged (validate it when parsing options).
    public func applying(_ overrides: CommandLineOverrides) -> ManagerConfiguration {
        var result = self
        let at = Provenance.commandLine
        if let value = overrides.connectionSpec { result.manager.connectionSpec.set(value, at: at) }
        if let value = overrides.daemon { result.manager.daemon.set(value, at: at) }
        if let value = overrides.effectiveUser { result.security.effectiveUser.set(value, at: at) }
        if let value = overrides.effectiveGroup { result.security.effectiveGroup.set(value, at: at) }
        if let value = overrides.unixSocketGroup { result.manager.unixSocketGroup.set(value, at: at) }
        if let value = overrides.unixSocketMode { result.manager.unixSocketMode.set(value, at: at) }
        if let value = overrides.pidFile { result.manager.pidFile.set(value, at: at) }
        if let text = overrides.logLevel, let level = try? LogLevel(parsing: text, relativeTo: log.level.value) {
            result.log.level.set(level, at: at)
        }
        if let value = overrides.logPath { result.log.path.set(value == "-" ? nil : value, at: at) }
        if let value = overrides.useSyslog { result.log.useSyslog.set(value, at: at) }
        if let value = overrides.syslogFacility { result.log.syslogFacility.set(value, at: at) }
        if let value = overrides.nWorkers { result.manager.nWorkers.set(value, at: at) }
        if let value = overrides.eventLoopBackend { result.manager.eventLoopBackend.set(value, at: at) }
        if let value = overrides.packetBufferSize { result.manager.packetBufferSize.set(value, at: at) }
        if let value = overrides.maxPendingFinishedSessions {
            result.manager.maxPendingFinishedSessions.set(value, at: at)
        }
        return result
    }
}
