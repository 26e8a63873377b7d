import MilterProtocol
import NIOCore

/// The facts a session needs from outside: the clock and what conditions look at.
public struct SessionEnvironment: Sendable {
    /// Monotonic nanoseconds.
    public var now: @Sendable () -> UInt64
    /// Sessions in progress in this manager (for the stress conditions).
    public var processingSessions: @Sendable () -> Int
    /// The local end of the SMTP client's connection to the MTA (Sendmail Compatible).
    public var localEndpoint: @Sendable (ConnectAddress) -> (address: String, port: UInt16)?

    /// An environment.
    public init(
        now: @escaping @Sendable () -> UInt64, processingSessions: @escaping @Sendable () -> Int = { 1 },
        localEndpoint: @escaping @Sendable (ConnectAddress) -> (address: String, port: UInt16)? = { _ in nil }
    ) {
        self.now = now
        self.processingSessions = processingSessions
        self.localEndpoint = localEndpoint
    }
}

/// One SMTP session of the manager as an I/O-free state machine (runtime.md §2): it takes the
/// MTA's commands and the children's replies and returns what to send where. The I/O layer
/// carries out the actions; scenario tests drive it directly.
public struct SessionCoordinator {
    enum Phase: Equatable {
        /// Waiting for the MTA's `O`.
        case awaitingNegotiation
        /// Children are connecting and negotiating; MTA commands wait.
        case negotiating
        /// Ready for the next MTA command.
        case idle
        /// A broadcast command is out; waiting for children's replies.
        case broadcast
        /// The head child of the message queue owes a reply.
        case message
        /// The session is over.
        case finished
    }

    /// The state of one broadcast command.
    struct Broadcast {
        var command: MilterCommand
        var combined: MilterStatus = .notChange
        var replyCode: SMTPReply?
        var pending = 0
        /// A message command waiting for an emulated DATA.
        var heldCommand: MilterCommand?
    }

    let tag: Int
    let settings: SessionSettings
    let environment: SessionEnvironment
    var children: [ChildState]
    var phase: Phase = .awaitingNegotiation
    var mtaOption = Negotiation()
    /// What the manager answered the MTA (nil until then).
    var upward: Negotiation?
    /// Commands that arrived while the manager was busy.
    var queued: [MilterCommand] = []
    var queueIndex = 0
    /// The MTA's macros per stage code (the latest `D` for each).
    var mtaMacros: [MilterCommandCode: [Macro]] = [:]
    var broadcast: Broadcast?
    var message = MessageState()
    /// The answer for every command when all children were expired at negotiation.
    var expiredStatus: MilterStatus?
    /// Children must be connected again before the next command (after `K`).
    var needsReconnect = false
    /// The last command the MTA sent (statistics).
    var lastState: MilterCommandCode = .negotiate
    /// The last verdict sent to the MTA (statistics).
    var lastStatus: MilterStatus = .notChange
    let startedAt: UInt64
    var actions: [SessionAction] = []

    /// A session with process-unique `tag`; `childTags` has one tag per child.
    public init(
        tag: Int, children definitions: [ChildDefinition], childTags: [Int], settings: SessionSettings,
        environment: SessionEnvironment
    ) {
        precondition(definitions.count == childTags.count, "one tag per child")
        self.tag = tag
        self.settings = settings
        self.environment = environment
        self.children = zip(definitions, childTags).map { ChildState(definition: $0, tag: $1) }
        self.startedAt = environment.now()
        actions.reserveCapacity(8)
    }

    /// Hands the accumulated actions to the caller and forgets them.
    public mutating func takeActions() -> [SessionAction] {
        defer { actions.removeAll(keepingCapacity: true) }
        return actions
    }

    /// True once the session ended (QUIT, close, protocol error).
    public var isFinished: Bool { phase == .finished }

    // MARK: - Events from the MTA

    /// A command from the MTA.
    public mutating func mtaCommand(_ command: MilterCommand) {
        switch phase {
        case .finished:
            return
        case .negotiating, .broadcast, .message:
            queued.append(command)
            return
        case .awaitingNegotiation:
            guard case .negotiate(let option) = command else {
                protocolErrorFromMTA("expected negotiation first, got \(command.code.stageName)")
                return
            }
            startNegotiation(option)
        case .idle:
            if needsReconnect, command.code != .quit, command.code != .macro {
                queued.append(command)
                reconnectChildren()
                return
            }
            dispatch(command)
        }
    }

    /// The MTA closed its connection.
    public mutating func mtaClosed() {
        guard phase != .finished else { return }
        endSession()
    }

    /// The MTA sent nothing for the idle timeout.
    public mutating func mtaIdleTimeout() {
        guard phase != .finished else { return }
        log(.warning, "[\(tag)] [client][timeout] no command from the MTA; closing the session")
        endSession()
        actions.append(.closeMTA)
    }

    /// The MTA sent a packet we cannot read.
    public mutating func mtaDecodeError(_ error: MilterParseError) {
        guard phase != .finished else { return }
        protocolErrorFromMTA("[decode] \(error)")
    }

    mutating func protocolErrorFromMTA(_ reason: String) {
        log(.error, "[\(tag)] [client][error] \(reason)")
        endSession()
        actions.append(.closeMTA)
    }

    /// Runs queued MTA commands while the session is idle.
    mutating func drainQueue() {
        while phase == .idle, queueIndex < queued.count {
            let command = queued[queueIndex]
            queueIndex += 1
            if queueIndex == queued.count {
                queued.removeAll(keepingCapacity: true)
                queueIndex = 0
            }
            mtaCommand(command)
        }
    }

    mutating func dispatch(_ command: MilterCommand) {
        switch command {
        case .negotiate:
            protocolErrorFromMTA("negotiation received twice")
        case .macro(let stage, let macros):
            mtaMacros[stage] = macros
        case .connect, .helo, .mail, .recipient, .data, .unknown:
            lastState = command.code
            startBroadcast(command)
        case .header, .endOfHeader, .body, .endOfMessage:
            lastState = command.code
            messageCommand(command)
        case .abort:
            if message.started || children.contains(where: \.inMessage),
                lastStatus == .notChange || lastStatus == .continue
            {
                lastStatus = .abort
            }
            abortMessage(reason: "abort from the MTA")
        case .quit:
            endSession()
            actions.append(.closeMTA)
        case .quitNewConnection:
            quitChildren()
            resetConnectionState()
        }
    }

    /// Answers the MTA and remembers the verdict for statistics.
    mutating func replyToMTA(_ replies: [MilterReply], status: MilterStatus) {
        lastStatus = status
        actions.append(.sendToMTA(replies))
    }

    /// The reply for a combined status, with the stored SMTP reply when it fits the status.
    static func finalReply(_ status: MilterStatus, replyCode: SMTPReply?) -> MilterReply {
        if let replyCode,
            (status == .reject && replyCode.isPermanent) || (status == .temporaryFailure && !replyCode.isPermanent)
        {
            return .replyCode(replyCode)
        }
        return status.reply
    }

    /// The answer when no child can take a command: the negotiation fallback or
    /// `manager.fallback_status`.
    mutating func answerWithoutChildren(_ reason: String) {
        let status = expiredStatus ?? settings.fallbackStatus
        if settings.detailedLogging {
            log(.info, "[\(tag)] [children][error] \(reason) -> \(status.nick)")
        }
        replyToMTA([status.reply], status: status)
    }

    /// Queues a log line. Callers check `settings.detailedLogging` before building info and
    /// debug lines, so the per-message path builds no string nobody reads.
    mutating func log(_ level: SessionLogEntry.Level, _ message: String) {
        actions.append(.log(SessionLogEntry(level, message)))
    }

    /// Per-connection state cleared by `K` (quit, new session on the same connection).
    mutating func resetConnectionState() {
        writeSessionStatistics()
        mtaMacros.removeAll()
        message = MessageState()
        lastStatus = .notChange
        lastState = .negotiate
        needsReconnect = !children.isEmpty
        expiredStatus = nil
    }

    /// QUIT to every child, statistics, done.
    mutating func endSession() {
        quitChildren()
        writeSessionStatistics()
        phase = .finished
    }

    mutating func writeSessionStatistics() {
        let elapsed = Double(environment.now() &- startedAt) / 1e9
        log(.statistics, "[session][end][\(lastState.stageName)][\(lastStatus.nick)][\(Format.g(elapsed))](\(tag))")
    }
}
