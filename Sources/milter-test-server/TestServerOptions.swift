import ArgumentParser
import MilterProtocol

/// The command-line options of milter-test-server (interfaces.md and runtime.md §4.2).
struct TestServerOptions: ParsableArguments {
    @Option(
        name: [.customShort("s"), .customLong("connection-spec")],
        help: "The milter's socket: unix:PATH, inet:PORT@HOST, inet6:PORT@HOST (a PATH starting with / is unix:).")
    var connectionSpec: String

    @Option(help: "Server name, the value of {daemon_name}.")
    var name: String = "milter-test-server"

    @Option(help: "Milter protocol version offered (2-6).")
    var negotiateVersion: UInt32 = 6

    @Option(help: "Host name sent on connect.")
    var connectHost: String = "mx.example.net"

    @Option(help: "Client address sent on connect (inet:PORT@[ADDR], inet6:..., unix:PATH, unknown).")
    var connectAddress: String = "inet:50443@[192.168.123.123]"

    @Option(help: ArgumentHelp("Add or replace a connect macro (repeatable).", valueName: "NAME:VALUE"))
    var connectMacro: [String] = []

    @Option(help: "HELO/EHLO name.")
    var heloFqdn: String = "delian"

    @Option(help: ArgumentHelp("Add or replace a HELO macro (repeatable).", valueName: "NAME:VALUE"))
    var heloMacro: [String] = []

    @Option(
        name: [.customShort("f"), .customLong("from"), .customLong("envelope-from")],
        help: "Envelope sender (default sender@example.com; <> added).")
    var from: String?

    @Option(help: ArgumentHelp("Add or replace a MAIL macro (repeatable).", valueName: "NAME:VALUE"))
    var envelopeFromMacro: [String] = []

    @Option(
        name: [.customShort("r"), .customLong("recipient"), .customLong("envelope-recipient")],
        help: "Envelope recipient, one RCPT each (repeatable; default receiver@example.org).")
    var recipient: [String] = []

    @Option(help: ArgumentHelp("Add or replace a RCPT macro (repeatable).", valueName: "NAME:VALUE"))
    var envelopeRecipientMacro: [String] = []

    @Option(help: ArgumentHelp("Add or replace a DATA macro (repeatable).", valueName: "NAME:VALUE"))
    var dataMacro: [String] = []

    @Option(
        name: .customLong("header"),
        help: ArgumentHelp(
            "Add a header (repeatable). From: and To: are added when absent. (-h is --help.)",
            valueName: "NAME:VALUE"))
    var header: [String] = []

    @Option(help: ArgumentHelp("Add or replace an end-of-header macro (repeatable).", valueName: "NAME:VALUE"))
    var endOfHeaderMacro: [String] = []

    @Option(name: [.customShort("b"), .customLong("body")], help: "A body chunk, one BODY command each (repeatable).")
    var body: [String] = []

    @Option(help: ArgumentHelp("Add or replace an end-of-message macro (repeatable).", valueName: "NAME:VALUE"))
    var endOfMessageMacro: [String] = []

    @Option(help: "Send this unknown SMTP command after the recipients (protocol version 3 and later).")
    var unknown: String?

    @Option(help: "The {auth_authen} macro on MAIL.")
    var authenticatedName: String?
    @Option(help: "The {auth_type} macro on MAIL.")
    var authenticatedType: String?
    @Option(help: "The {auth_author} macro on MAIL.")
    var authenticatedAuthor: String?

    @Option(
        name: [.customShort("m"), .customLong("mail-file")],
        help: "Send this message file (- for standard input); its From:/To: set the envelope.")
    var mailFile: String?

    @Flag(help: "Print the message as the milter changed it.")
    var outputMessage = false

    @Option(help: "Colour the changed lines: yes, true, no, false or auto (a bare --color means yes).")
    var color: ColorMode = .no

    @Option(help: "Seconds to wait for the connection (default 300, or --timeout).")
    var connectionTimeout: Double?
    @Option(help: "Seconds to wait for a reply (default 10, or --timeout).")
    var readingTimeout: Double?
    @Option(help: "Seconds to wait for a write (default 10, or --timeout).")
    var writingTimeout: Double?
    @Option(help: "Seconds to wait for the end-of-message reply; progress restarts it (default 300, or --timeout).")
    var endOfMessageTimeout: Double?
    @Option(help: "Set all four timeouts above.")
    var allTimeouts: Double?
    @Option(help: "Bound each whole session; also the default of the four timeouts above.")
    var timeout: Double?

    @Option(
        name: [.customShort("t"), .customLong("threads")],
        help: "Run N independent sessions at once; each prints its result.")
    var threads: Int?

    @Option(help: "Load mode: run N sessions and print a summary.")
    var nSessions: Int?
    @Option(help: "Load mode: sessions kept running at once (default 1).")
    var concurrency: Int?
    @Option(
        help: ArgumentHelp(
            "Load mode: after each session, the same session with this milter too (repeatable), as an MTA with "
                + "several milters asks each in turn (smtpd_milters = A, B); the latency is the sum.",
            valueName: "SPEC"))
    var thenConnectionSpec: [String] = []
    @Option(help: "Messages sent on each connection before QUIT (default 1).")
    var messagesPerSession: Int = 1

    @Option(
        help: ArgumentHelp(
            "A session succeeds only with this status (repeatable or comma-separated); default: any completed session.",
            valueName: "STATUS"))
    var expectedStatus: [String] = []

    @Flag(name: .shortAndLong, help: "Print nothing; the exit status tells the result.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Log every packet sent and received to standard error.")
    var verbose = false

    /// The statuses `--expected-status` allows, nil when not given.
    var expectedStatuses: Set<SessionStatus>? {
        let words = expectedStatus.flatMap { $0.split(separator: ",").map(String.init) }
        guard !words.isEmpty else { return nil }
        return Set(words.compactMap(SessionStatus.init(word:)))
    }

    mutating func validate() throws {
        if connectionSpec.hasPrefix("/") { connectionSpec = "unix:" + connectionSpec }
        do { _ = try ConnectionSpec(parsing: connectionSpec) } catch { throw ValidationError(error.description) }
        guard (2...6).contains(negotiateVersion) else {
            throw ValidationError("--negotiate-version must be 2 to 6, not \(negotiateVersion)")
        }
        for word in expectedStatus.flatMap({ $0.split(separator: ",").map(String.init) })
        where SessionStatus(word: word) == nil {
            throw ValidationError(
                "unknown status '\(word)' (one of: \(SessionStatus.allCases.map(\.word).joined(separator: ", ")))")
        }
        for (label, value) in [
            ("--timeout", timeout), ("--connection-timeout", connectionTimeout), ("--reading-timeout", readingTimeout),
            ("--writing-timeout", writingTimeout), ("--end-of-message-timeout", endOfMessageTimeout),
            ("--all-timeouts", allTimeouts),
        ] {
            if let value, !(value > 0) { throw ValidationError("\(label) must be a positive number of seconds") }
        }
        if let nSessions, nSessions < 1 { throw ValidationError("--n-sessions must be at least 1") }
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if concurrency != nil && nSessions == nil { throw ValidationError("--concurrency needs --n-sessions") }
        if !thenConnectionSpec.isEmpty && nSessions == nil {
            throw ValidationError("--then-connection-spec needs --n-sessions")
        }
        for index in thenConnectionSpec.indices {
            if thenConnectionSpec[index].hasPrefix("/") {
                thenConnectionSpec[index] = "unix:" + thenConnectionSpec[index]
            }
            do { _ = try ConnectionSpec(parsing: thenConnectionSpec[index]) } catch {
                throw ValidationError(error.description)
            }
        }
        if let threads, threads < 0 { throw ValidationError("--threads must not be negative") }
        if threads ?? 0 > 0 && nSessions != nil {
            throw ValidationError("--threads and --n-sessions exclude each other")
        }
        if outputMessage && nSessions != nil {
            throw ValidationError("--output-message prints one session; not with --n-sessions")
        }
        if messagesPerSession < 1 { throw ValidationError("--messages-per-session must be at least 1") }
        for value in header where Self.splitPair(value) == nil {
            throw ValidationError("--header should be 'NAME:VALUE': <\(value)>")
        }
        for value in connectMacro + heloMacro + envelopeFromMacro + envelopeRecipientMacro + dataMacro
            + endOfHeaderMacro + endOfMessageMacro where Self.splitPair(value) == nil
        {
            throw ValidationError("macro name and value delimiter ':' doesn't exist: <\(value)>")
        }
        _ = try makeConnectAddress()
    }

    /// `NAME:VALUE` split at the first colon; nil without a colon or with an empty name.
    static func splitPair(_ text: String) -> (name: String, value: String)? {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }
}
