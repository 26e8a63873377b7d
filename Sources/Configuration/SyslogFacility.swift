/// `log.syslog_facility` and `--syslog-facility`: the syslog facility names the original accepts.
public enum SyslogFacility: String, Hashable, Sendable, CaseIterable {
    /// LOG_AUTH
    case auth
    /// LOG_AUTHPRIV
    case authpriv
    /// LOG_CRON
    case cron
    /// LOG_DAEMON
    case daemon
    /// LOG_FTP
    case ftp
    /// LOG_KERN
    case kern
    /// LOG_LOCAL0
    case local0
    /// LOG_LOCAL1
    case local1
    /// LOG_LOCAL2
    case local2
    /// LOG_LOCAL3
    case local3
    /// LOG_LOCAL4
    case local4
    /// LOG_LOCAL5
    case local5
    /// LOG_LOCAL6
    case local6
    /// LOG_LOCAL7
    case local7
    /// LOG_LPR
    case lpr
    /// LOG_MAIL, the default.
    case mail
    /// LOG_NEWS
    case news
    /// LOG_USER
    case user
    /// LOG_UUCP
    case uucp
}
