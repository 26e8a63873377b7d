import Configuration
import MilterProtocol
import MilterSupport
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

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
///
/// Lines logged on an event-loop thread are gathered and written together at the end of that
/// loop's current round (one `write(2)` for every line of the round, of every session, instead of
/// one each), or as soon as `batchLimit` bytes are waiting; lines logged elsewhere are written at
/// once, after whatever was waiting. `flush()` writes what is waiting (the daemon calls it before
/// it exits).
public final class LogSink: Sendable {
    private struct State {
        var descriptor: Int32 = -1
        var held: [String]? = []
        /// Lines of the current event-loop round, not written yet.
        var pending: [UInt8] = []
        /// A flush of `pending` is queued on an event loop.
        var flushQueued = false
    }

    /// Lines kept before the file is opened; later ones are dropped.
    public static let heldLineLimit = 1000
    /// Bytes of gathered lines that are written at once, without waiting for the round's end.
    public static let batchLimit = 64 * 1024

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
            Self.writePending(&state)
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
                // Lines logged before the reopen go to the file they were logged for.
                Self.writePending(&state)
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
        let loop = MultiThreadedEventLoopGroup.currentEventLoop
        let queueOn: EventLoop? = state.withLockedValue { state in
            if let count = state.held?.count {
                if count < Self.heldLineLimit { state.held?.append(line) }
                return nil
            }
            guard state.descriptor >= 0 else { return nil }
            state.pending.append(contentsOf: line.utf8)
            guard let loop, state.pending.count < Self.batchLimit else {
                Self.writePending(&state)
                return nil
            }
            if state.flushQueued { return nil }
            state.flushQueued = true
            return loop
        }
        // Queued from the loop itself: it runs once the loop has handled this round's events.
        queueOn?.execute { self.flush() }
    }

    /// Writes the lines that wait for the end of an event-loop round.
    public func flush() {
        state.withLockedValue { Self.writePending(&$0) }
    }

    private static func writePending(_ state: inout State) {
        state.flushQueued = false
        guard !state.pending.isEmpty else { return }
        if state.descriptor >= 0 { try? DescriptorWriter.writeAll(state.pending, to: state.descriptor) }
        state.pending.removeAll(keepingCapacity: state.pending.capacity <= batchLimit * 2)
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

    /// `2011-01-21T10:11:12.123456Z`, written digit by digit (a formatted print per line was
    /// most of the logging's CPU on the proxy's hot path).
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var parts = tm()
        var seconds = now.tv_sec
        gmtime_r(&seconds, &parts)
        return String(unsafeUninitializedCapacity: 27) { buffer in
            var index = 0
            func put(_ value: Int, digits: Int) {
                var value = value
                var position = index + digits - 1
                while position >= index {
                    buffer[position] = UInt8(ascii: "0") + UInt8(value % 10)
                    value /= 10
                    position -= 1
                }
                index += digits
            }
            func put(_ character: Unicode.Scalar) {
                buffer[index] = UInt8(ascii: character)
                index += 1
            }
            put(Int(parts.tm_year) + 1900, digits: 4)
            put("-")
            put(Int(parts.tm_mon) + 1, digits: 2)
            put("-")
            put(Int(parts.tm_mday), digits: 2)
            put("T")
            put(Int(parts.tm_hour), digits: 2)
            put(":")
            put(Int(parts.tm_min), digits: 2)
            put(":")
            put(Int(parts.tm_sec), digits: 2)
            put(".")
            put(Int(now.tv_nsec / 1000), digits: 6)
            put("Z")
            return index
        }
    }
}
