#if canImport(Glibc)
    import Glibc
#endif
import ArgumentParser
import MilterProtocol
import MilterSupport

/// `milter-test-client`: a milter that prints every event it receives and answers continue, or
/// rejects, tempfails, accepts or discards at a stage, adds headers and quarantines when told.
struct MilterTestClientCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "milter-test-client",
        abstract: "A milter that prints every event it receives.",
        discussion: """
            STAGE is one of: \(ClientStage.allCases.map { $0.rawValue }.joined(separator: ", ")).
            Event lines (flushed one event at a time): negotiate, connect, helo, envelope-from,
            envelope-recipient, data, unknown, header, end-of-header, body, end-of-message, abort,
            finished, each followed by 'macros:' and '  name=value' lines when the stage had macros.
            A unix socket is created with --unix-socket-mode (default 0660, like milter-manager; a
            stale socket file is replaced). SIGTERM or SIGINT: stop listening, remove the socket
            and the pid file, exit 0. Exit 1 when the socket cannot be listened on.

            FILES
              PATH of -s unix:PATH
                  the socket, created (a stale one replaced), removed at exit
              FILE of --pid-file
                  written with the process id at start, removed at exit
              FILE of --log-path
                  the --verbose messages, appended

            ENVIRONMENT
              none is read.
            """,
        version: "milter-test-client \(ProductVersion.number)")

    @Option(
        name: [.customShort("s"), .customLong("connection-spec")],
        help: "Where to listen: unix:PATH, inet:PORT[@HOST], inet6:PORT[@HOST].")
    var connectionSpec: String

    @Flag(name: .shortAndLong, help: "Log connections and replies (to standard error, or --log-path).")
    var verbose = false

    @Flag(name: .shortAndLong, help: "Print no events (same as --no-report-request).")
    var quiet = false

    @Flag(help: "Don't print the events received.")
    var noReportRequest = false

    @Option(help: ArgumentHelp("Reject at this stage (repeatable).", valueName: "STAGE"))
    var rejectOn: [ClientStage] = []

    @Option(help: ArgumentHelp("Tempfail at this stage (repeatable).", valueName: "STAGE"))
    var tempfailOn: [ClientStage] = []

    @Option(help: ArgumentHelp("Accept at this stage (repeatable).", valueName: "STAGE"))
    var acceptOn: [ClientStage] = []

    @Option(help: ArgumentHelp("Discard at this stage (repeatable).", valueName: "STAGE"))
    var discardOn: [ClientStage] = []

    @Option(help: ArgumentHelp("Add this header at end-of-message (repeatable).", valueName: "NAME:VALUE"))
    var addHeader: [String] = []

    @Option(help: "Quarantine every message with this reason at end-of-message.")
    var quarantine: String?

    @Option(help: "Reject/tempfail with this SMTP reply ('550 5.7.1 text', 4XX for tempfail) instead of r/t.")
    var replyCode: String?

    @Option(help: "Write --verbose messages to this file instead of standard error.")
    var logPath: String?

    @Option(help: "Write the process id to this file (removed at exit).")
    var pidFile: String?

    @Option(help: "Permission bits of a unix socket, octal.")
    var unixSocketMode: String = "0660"

    @Option(help: "Group of a unix socket.")
    var unixSocketGroup: String?

    @Flag(inversion: .prefixedNo, help: "Accepted for compatibility; the client always stays in the foreground.")
    var daemon = false

    mutating func validate() throws {
        do { _ = try ConnectionSpec(parsing: connectionSpec) } catch { throw ValidationError(error.description) }
        guard let mode = UInt32(unixSocketMode, radix: 8), mode <= 0o777 else {
            throw ValidationError("--unix-socket-mode must be octal permission bits like 0660, not <\(unixSocketMode)>")
        }
        _ = mode
        for value in addHeader {
            guard let colon = value.firstIndex(of: ":"), colon != value.startIndex else {
                throw ValidationError("--add-header should be 'NAME:VALUE': <\(value)>")
            }
        }
        if let replyCode {
            do { _ = try SMTPReply(validating: MilterString(replyCode)) } catch {
                throw ValidationError("--reply-code: \(error.description)")
            }
        }
        let stages = rejectOn + tempfailOn + acceptOn + discardOn
        if Set(stages).count != stages.count {
            throw ValidationError(
                "a stage is given to more than one of --reject-on/--tempfail-on/--accept-on/--discard-on")
        }
    }

    /// The behaviour the options describe.
    var behavior: ClientBehavior {
        var behavior = ClientBehavior()
        for stage in rejectOn { behavior.answers[stage] = .reject }
        for stage in tempfailOn { behavior.answers[stage] = .temporaryFailure }
        for stage in acceptOn { behavior.answers[stage] = .accept }
        for stage in discardOn { behavior.answers[stage] = .discard }
        behavior.addHeaders = addHeader.map { value in
            let colon = value.firstIndex(of: ":")!
            let text = value[value.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
            return (MilterString(String(value[..<colon])), MilterString(String(text)))
        }
        behavior.quarantineReason = quarantine.map { MilterString($0) }
        behavior.replyCode = replyCode.flatMap { try? SMTPReply(validating: MilterString($0)) }
        behavior.reportsEvents = !(quiet || noReportRequest)
        return behavior
    }

    func run() throws {
        var descriptor = STDERR_FILENO
        if let logPath {
            descriptor = open(logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
            if descriptor < 0 {
                ClientLog(descriptor: STDERR_FILENO, isVerbose: false).error(
                    "cannot open log file \(logPath): \(String(cString: strerror(errno)))")
                throw ExitCode(1)
            }
        }
        let log = ClientLog(descriptor: descriptor, isVerbose: verbose)
        let spec = try ConnectionSpec(parsing: connectionSpec)
        let listener = ClientListener(
            spec: spec, specText: connectionSpec, behavior: behavior, log: log,
            socketMode: mode_t(UInt32(unixSocketMode, radix: 8) ?? 0o660), socketGroup: unixSocketGroup,
            pidFile: pidFile)
        do {
            try listener.run()
        } catch {
            log.error(error.description)
            throw ExitCode(1)
        }
    }
}
