import Configuration
import MilterProtocol
import MilterSupport
import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#endif

/// Why the log file could not be opened.
public struct LogFileError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The path.
    public var path: String
    /// strerror of open(), or what the path is when it is not a file.
    public var reason: String
    /// `cannot open the log file PATH: reason`.
    public var description: String { "cannot open the log file \(path): \(reason)" }
}

/// Where log lines go: a file or standard output (`[ISO time]: message`), and syslog. Every
/// line has its control characters escaped (`ControlCharacters`), so no logged value can forge a line.
///
/// A log file is opened by `openFile()`, which the daemon calls after it dropped its
/// privileges, so that the file is created and written as the effective user; lines logged
/// before that are held (up to `heldLineLimit`) and written first. It is opened without
/// following a symbolic link, and only a regular file or a character device is used.
public final class LogSink: Sendable {
    private struct State {
        var descriptor: Int32 = -1
        var held: [String]? = []
    }

    /// Lines kept before the file is opened; later ones are dropped.
    public static let heldLineLimit = 1000

    private let state: NIOLockedValueBox<State>
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
        var initial = State()
        if path == nil || path == "-" {
            initial = State(descriptor: dup(1), held: nil)
        } else if path == "/dev/null" {
            initial = State(descriptor: -1, held: nil)
        }
        state = NIOLockedValueBox(initial)
        if self.useSyslog {
            openlog(strdup(ident), LOG_PID | LOG_NDELAY, Self.facility(facility))
        }
    }

    /// Whether lines also go to syslog (asked for, and /dev/log exists).
    public var writesToSyslog: Bool { useSyslog }

    /// The log file path, when lines go to a file.
    public var filePath: String? {
        guard let path, path != "-", path != "/dev/null" else { return nil }
        return path
    }

    /// Opens the log file (once, after the privilege drop) and writes the lines held so far.
    public func openFile() throws(LogFileError) {
        guard let path = filePath else { return }
        let descriptor = try Self.open(path)
        state.withLockedValue { state in
            if state.descriptor >= 0 { close(state.descriptor) }
            state.descriptor = descriptor
            for line in state.held ?? [] { Self.write(line, to: descriptor) }
            state.held = nil
        }
    }

    /// Reopens the log file (SIGUSR1, after log rotation). When that fails the lines keep
    /// going to the file open until now, and the failure is written there (and to syslog).
    @discardableResult
    public func reopen() -> LogFileError? {
        guard let path = filePath else { return nil }
        do {
            let descriptor = try Self.open(path)
            state.withLockedValue { state in
                if state.descriptor >= 0 { close(state.descriptor) }
                state.descriptor = descriptor
                state.held = nil
            }
            return nil
        } catch {
            write(.error, "[manager][log] \(error.description); still writing to the file opened before")
            return error
        }
    }

    /// Writes one line if its flag is enabled.
    public func write(_ flag: LogLevel.Flag, _ message: String) {
        guard flags.contains(flag) else { return }
        // Backslashes stay: a line without control characters keeps its bytes.
        let text = ControlCharacters.escaped(message, doublingBackslashes: false)
        if useSyslog {
            text.withCString { text in
                withVaList([text]) { vsyslog(Self.severity(flag), "%s", $0) }
            }
        }
        let line = "[\(Self.timestamp())]: \(text)\n"
        state.withLockedValue { state in
            if let count = state.held?.count {
                if count < Self.heldLineLimit { state.held?.append(line) }
            } else if state.descriptor >= 0 {
                Self.write(line, to: state.descriptor)
            }
        }
    }

    private static func write(_ line: String, to descriptor: Int32) {
        try? DescriptorWriter.writeAll(line, to: descriptor)
    }

    /// Opens `path` for appending without following a link there and without blocking (a
    /// FIFO); refuses anything but a regular file or a character device.
    static func open(_ path: String) throws(LogFileError) -> Int32 {
        let descriptor = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else {
            let code = errno
            var info = stat()
            if lstat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG, info.st_mode & S_IFMT != S_IFCHR {
                let kind = FileKind.name(info.st_mode & S_IFMT)
                let reason =
                    info.st_mode & S_IFMT == S_IFLNK
                    ? "it is a symbolic link (not followed)" : "it is \(kind), not a file"
                throw LogFileError(path: path, reason: reason)
            }
            throw LogFileError(path: path, reason: String(cString: strerror(code)))
        }
        var info = stat()
        let type = fstat(descriptor, &info) == 0 ? info.st_mode & S_IFMT : 0
        guard type == S_IFREG || type == S_IFCHR else {
            close(descriptor)
            throw LogFileError(path: path, reason: "it is \(FileKind.name(info.st_mode & S_IFMT)), not a file")
        }
        let flags = fcntl(descriptor, F_GETFL)
        if flags >= 0 { _ = fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) }
        return descriptor
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
