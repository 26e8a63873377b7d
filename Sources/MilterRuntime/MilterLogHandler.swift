import Configuration
import Logging
import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#endif

/// Where log lines go: a file or standard output (`[ISO time]: message`), and syslog.
public final class LogSink: Sendable {
    private let file: NIOLockedValueBox<Int32>
    private let path: String?
    private let useSyslog: Bool
    /// The level flags that are written.
    public let flags: Set<LogLevel.Flag>

    /// Lines with `flags` to `path` (nil or "-": standard output; "/dev/null": nowhere) and,
    /// with `useSyslog`, to syslog with ident `milter-manager` and `facility`.
    public init(
        flags: Set<LogLevel.Flag>, path: String?, useSyslog: Bool, facility: SyslogFacility,
        ident: String = "milter-manager"
    ) {
        self.flags = flags
        self.path = path
        // Without a syslog daemon every syslog() call would try to connect again.
        var socketInfo = stat()
        self.useSyslog = useSyslog && stat("/dev/log", &socketInfo) == 0
        let descriptor: Int32
        if let path, path != "-" {
            descriptor = path == "/dev/null" ? -1 : open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        } else {
            descriptor = dup(1)
        }
        self.file = NIOLockedValueBox(descriptor)
        if self.useSyslog {
            openlog(strdup(ident), LOG_PID | LOG_NDELAY, Self.facility(facility))
        }
    }

    /// Whether lines also go to syslog (asked for, and /dev/log exists).
    public var writesToSyslog: Bool { useSyslog }

    /// Reopens the log file (SIGUSR1, after log rotation).
    public func reopen() {
        guard let path, path != "-", path != "/dev/null" else { return }
        file.withLockedValue { descriptor in
            if descriptor >= 0 { close(descriptor) }
            descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        }
    }

    /// Writes one line if its flag is enabled.
    public func write(_ flag: LogLevel.Flag, _ message: String) {
        guard flags.contains(flag) else { return }
        if useSyslog {
            message.withCString { text in
                withVaList([text]) { vsyslog(Self.severity(flag), "%s", $0) }
            }
        }
        file.withLockedValue { descriptor in
            guard descriptor >= 0 else { return }
            var line = "[\(Self.timestamp())]: \(message)\n"
            line.withUTF8 { bytes in _ = Glibc.write(descriptor, bytes.baseAddress, bytes.count) }
        }
    }

    static func severity(_ flag: LogLevel.Flag) -> Int32 {
        switch flag {
        case .critical: return LOG_CRIT
        case .error: return LOG_ERR
        case .warning: return LOG_WARNING
        case .message, .statistics: return LOG_NOTICE
        case .info: return LOG_INFO
        case .debug, .trace, .profile: return LOG_DEBUG
        }
    }

    static func facility(_ facility: SyslogFacility) -> Int32 {
        switch facility {
        case .auth: return LOG_AUTH
        case .authpriv: return LOG_AUTHPRIV
        case .cron: return LOG_CRON
        case .daemon: return LOG_DAEMON
        case .ftp: return LOG_FTP
        case .kern: return LOG_KERN
        case .local0: return LOG_LOCAL0
        case .local1: return LOG_LOCAL1
        case .local2: return LOG_LOCAL2
        case .local3: return LOG_LOCAL3
        case .local4: return LOG_LOCAL4
        case .local5: return LOG_LOCAL5
        case .local6: return LOG_LOCAL6
        case .local7: return LOG_LOCAL7
        case .lpr: return LOG_LPR
        case .mail: return LOG_MAIL
        case .news: return LOG_NEWS
        case .user: return LOG_USER
        case .uucp: return LOG_UUCP
        }
    }

    /// `2011-01-21T10:11:12.123456Z`.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var parts = tm()
        var seconds = now.tv_sec
        gmtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 40)
        _ = withVaList([
            Int32(parts.tm_year + 1900), Int32(parts.tm_mon + 1), Int32(parts.tm_mday), Int32(parts.tm_hour),
            Int32(parts.tm_min), Int32(parts.tm_sec), Int32(now.tv_nsec / 1000),
        ]) { vsnprintf(&buffer, buffer.count, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", $0) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// A swift-log handler over a `LogSink`: notice lines that start with `[statistics]` are
/// statistics, other notices are messages.
public struct MilterLogHandler: LogHandler {
    /// Where lines go.
    public let sink: LogSink
    /// Metadata (not printed).
    public var metadata: Logger.Metadata = [:]
    /// The swift-log level: everything reaches the sink, which filters by flags.
    public var logLevel: Logger.Level = .trace

    /// A handler for `sink`.
    public init(sink: LogSink) {
        self.sink = sink
        logLevel = sink.flags.contains(.trace) ? .trace : sink.flags.contains(.debug) ? .debug : .info
    }

    /// Metadata access.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one line.
    public func log(event: LogEvent) {
        let text = event.message.description
        let flag: LogLevel.Flag
        switch event.level {
        case .critical: flag = .critical
        case .error: flag = .error
        case .warning: flag = .warning
        case .notice: flag = text.hasPrefix("[statistics]") ? .statistics : .message
        case .info: flag = .info
        case .debug: flag = .debug
        case .trace: flag = .trace
        }
        sink.write(flag, text)
    }
}
