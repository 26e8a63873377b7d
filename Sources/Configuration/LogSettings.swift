/// `log.*`: level, file and syslog.
public struct LogSettings: Hashable, Sendable {
    /// `log.level` (`--log-level`, `--verbose`, `--quiet`).
    public var level: Setting<LogLevel>
    /// `log.path`, nil for standard output (`--log-path`, `-` = standard output).
    public var path: Setting<String?>
    /// `log.use_syslog` (`--syslog` turns it on).
    public var useSyslog: Setting<Bool>
    /// `log.syslog_facility` (`--syslog-facility`).
    public var syslogFacility: Setting<SyslogFacility>

    /// The defaults: default level, standard output, syslog on, facility mail.
    public init() {
        level = Setting(.default)
        path = Setting(nil)
        useSyslog = Setting(true)
        syslogFacility = Setting(.mail)
    }
}
