import MilterProtocol
import MilterScripting
import MilterSupport
import NIOCore

/// The facts a session needs from outside: the clock and what conditions look at.
public struct SessionEnvironment: Sendable {
    /// Monotonic nanoseconds.
    public var now: @Sendable () -> UInt64
    /// Sessions in progress in this manager (for the stress conditions).
    public var processingSessions: @Sendable () -> Int
    /// The local end of the SMTP client's connection to the MTA (Sendmail Compatible).
    public var localEndpoint: @Sendable (ConnectAddress) -> (address: String, port: UInt16)?
    /// Told what the session does, for metrics (nil: nobody; nothing is measured).
    public var observer: (any SessionObserver)?

    /// An environment.
    public init(
        now: @escaping @Sendable () -> UInt64, processingSessions: @escaping @Sendable () -> Int = { 1 },
        localEndpoint: @escaping @Sendable (ConnectAddress) -> (address: String, port: UInt16)? = { _ in nil },
        observer: (any SessionObserver)? = nil
    ) {
        self.now = now
        self.processingSessions = processingSessions
        self.localEndpoint = localEndpoint
        self.observer = observer
    }
}

/// One SMTP session of the manager as an I/O-free state machine (runtime.md §2): it takes the
/// MTA's commands and the children's replies and returns what to send where. The I/O layer
/// carries out the actions; scenario tests drive it directly.
///
/// Where the session is lives in `state`, whose cases carry what is valid in them; the rules
/// that merge the children's replies are `ReplyMerger`'s. The extensions hold the flow of each
/// phase: negotiation, broadcast stages, message stages, children, conditions.
public struct SessionCoordinator {
    let tag: Int
    let settings: SessionSettings
    let environment: SessionEnvironment
    let startedAt: UInt64
    var children: [ChildState]
    var state = SessionState.awaitingNegotiation
    /// The MTA's `O` (the default option until it arrives).
    var mtaOption = Negotiation()
    /// What the manager answered the MTA (nil until then; once per connection).
    var upward: Negotiation?
    /// MTA commands that arrived while the session was busy, in order, from `queueIndex`.
    var queued: [MilterCommand] = []
    var queueIndex = 0
    /// The MTA's macros per stage code (the latest `D` for each).
    var mtaMacros: [MilterCommandCode: [Macro]] = [:]
    /// The answer for every command when all children were expired at negotiation.
    var expiredStatus: MilterStatus?
    /// The last command the MTA sent (statistics).
    var lastState: MilterCommandCode = .negotiate
    /// What the session's statistics line reports.
    var outcome = SessionOutcome.undecided
    /// When the MTA command being handled was taken up (only kept with an observer).
    var commandStartedAt: UInt64 = 0
    var actions: [SessionAction] = []
    /// The condition scripts of this session's event loop (nil: no scripts, or none loaded).
    let luaState: LuaConditionState?
    /// What the configuration's own conditions look at (one object for the session).
    let conditionFacts = SessionConditionFacts()
    /// The DNSBL verdict for the client, once looked up (per connection).
    var dnsbl: DNSBLVerdict?
    /// The client whose DNSBL look-up was asked for (per connection).
    var dnsblRequested: ConnectAddress?

    /// A session with process-unique `tag`; `childTags` has one tag per child; `scripts` is
    /// the Lua state of the session's event loop (`LuaStatePool`), needed by conditions with a
    /// script.
    public init(
        tag: Int, children definitions: [ChildDefinition], childTags: [Int], settings: SessionSettings,
        environment: SessionEnvironment, scripts: LuaConditionState? = nil
    ) {
        self.luaState = scripts
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
    public var isFinished: Bool {
        if case .finished = state { return true }
        return false
    }

    /// Whether child `index` owes a reply now.
    public func isAwaitingReply(from index: Int) -> Bool {
        children[index].owesReply
    }

    // MARK: - Events from the MTA

    /// A command from the MTA.
    public mutating func mtaCommand(_ command: MilterCommand) {
        switch state {
        case .awaitingNegotiation:
            guard case .negotiate(let option) = command else {
                protocolErrorFromMTA("expected negotiation first, got \(command.code.stageName)")
                return
            }
            state = startNegotiation(option)
        case .negotiating, .broadcast, .message:
            // The MTA spoke before it was answered: the command runs when the session is ready.
            queued.append(command)
            return
        case .awaitingReconnect:
            switch command {
            case .macro(let stage, let macros):
                mtaMacros[stage] = macros
            case .quit:
                endSession()
                actions.append(.closeMTA)
            case .negotiate, .connect, .helo, .mail, .recipient, .data, .unknown, .header, .endOfHeader, .body,
                .endOfMessage, .abort, .quitNewConnection:
                // First the children are connected again; the command runs when they are.
                queued.insert(command, at: queueIndex)
                state = connectChildren(fresh: true)
            }
        case .idle(let transaction):
            state = .modifying
            state = dispatch(command, in: transaction)
        case .finished:
            debug("[client][ignored] \(command.code.stageName) after the session ended")
            return
        case .modifying:
            internalError("an MTA command arrived while an event was being handled")
            return
        }
        drainQueue()
    }

    /// The MTA closed its connection.
    public mutating func mtaClosed() {
        switch state {
        case .finished:
            // The usual end: the MTA closes after QUIT (or after we closed on an error).
            return
        case .modifying:
            internalError("the MTA closed while an event was being handled")
        case .awaitingNegotiation, .negotiating, .awaitingReconnect, .idle, .broadcast, .message:
            endSession()
        }
    }

    /// The MTA sent nothing for the idle timeout.
    public mutating func mtaIdleTimeout() {
        switch state {
        case .finished:
            debug("[client][timeout][ignored] the idle timer outlived the session")
        case .modifying:
            internalError("the MTA idle timer fired while an event was being handled")
        case .awaitingNegotiation, .negotiating, .awaitingReconnect, .idle, .broadcast, .message:
            log(.warning, "[\(tag)] [client][timeout] no command from the MTA; closing the session")
            endSession()
            actions.append(.closeMTA)
        }
    }

    /// The MTA sent a packet we cannot read.
    public mutating func mtaDecodeError(_ error: MilterParseError) {
        switch state {
        case .finished:
            debug("[client][error][ignored] [decode] \(error) after the session ended")
        case .modifying:
            internalError("an MTA decode error arrived while an event was being handled")
        case .awaitingNegotiation, .negotiating, .awaitingReconnect, .idle, .broadcast, .message:
            protocolErrorFromMTA("[decode] \(error)")
        }
    }

    /// Ends the session for an MTA that broke the protocol.
    mutating func protocolErrorFromMTA(_ reason: String) {
        log(.error, "[\(tag)] [client][error] \(reason)")
        endSession()
        actions.append(.closeMTA)
    }

    /// Runs a command in a ready session; returns the state after it.
    mutating func dispatch(_ command: MilterCommand, in transaction: consuming Transaction) -> SessionState {
        if environment.observer != nil { commandStartedAt = environment.now() }
        switch command {
        case .negotiate:
            protocolErrorFromMTA("negotiation received twice")
            return .finished
        case .macro(let stage, let macros):
            mtaMacros[stage] = macros
            return .idle(transaction)
        case .connect: return broadcastCommand(.connect, command, in: transaction)
        case .helo: return broadcastCommand(.helo, command, in: transaction)
        case .mail: return broadcastCommand(.envelopeFrom, command, in: transaction)
        case .recipient: return broadcastCommand(.envelopeRecipient, command, in: transaction)
        case .data: return broadcastCommand(.data, command, in: transaction)
        case .unknown: return broadcastCommand(.unknown, command, in: transaction)
        case .header(let name, let value): return messageCommand(.header(name: name, value: value), in: transaction)
        case .endOfHeader: return messageCommand(.endOfHeader, in: transaction)
        case .body(let chunk): return messageCommand(.body(chunk), in: transaction)
        case .endOfMessage(let chunk): return messageCommand(.endOfMessage(chunk), in: transaction)
        case .abort:
            return mtaAbort(in: transaction)
        case .quit:
            endSession()
            actions.append(.closeMTA)
            return .finished
        case .quitNewConnection:
            quitChildren()
            resetConnectionState()
            return children.isEmpty ? .idle(.envelope(.beforeMail)) : .awaitingReconnect
        }
    }

    /// `A`: every child in the transaction is aborted; nothing goes to the MTA. A transaction that
    /// was passing ends as `abort` in the statistics.
    mutating func mtaAbort(in transaction: consuming Transaction) -> SessionState {
        let inTransaction: Bool
        switch consume transaction {
        case .message, .messageAnswered: inTransaction = true
        case .envelope: inTransaction = children.contains(where: \.inMessage)
        }
        if inTransaction && outcome.isPassing { outcome = .aborted }
        abortMessage(reason: "abort from the MTA")
        return .idle(.envelope(.beforeMail))
    }

    /// Runs queued MTA commands while the session is ready for them.
    mutating func drainQueue() {
        while queueIndex < queued.count, state.isReadyForMTA {
            let command = queued[queueIndex]
            queueIndex += 1
            if queueIndex == queued.count {
                queued.removeAll(keepingCapacity: true)
                queueIndex = 0
            }
            mtaCommand(command)
        }
    }

    // MARK: - Answers, logs, the end

    /// Answers the MTA and remembers the verdict for statistics.
    mutating func replyToMTA(_ verdict: Verdict) {
        outcome = .answered(verdict.status)
        actions.append(.sendToMTA([verdict.reply]))
        observeAnswer()
    }

    /// Tells the observer, if any, that the MTA's current command is answered.
    func observeAnswer() {
        guard let observer = environment.observer else { return }
        observer.answered(stage: lastState, nanoseconds: environment.now() &- commandStartedAt)
    }

    /// The answer when no child can take a command.
    mutating func answerWithoutChildren(_ reason: String) {
        let status = ReplyMerger.withoutChildren(expired: expiredStatus, fallback: settings.fallbackStatus)
        if settings.detailedLogging {
            log(.info, "[\(tag)] [children][error] \(reason) -> \(status.nick)")
        }
        replyToMTA(Verdict(status))
    }

    /// Queues a log line. Callers check `settings.detailedLogging` before building info and
    /// debug lines, so the per-message path builds no string nobody reads.
    mutating func log(_ level: SessionLogEntry.Level, _ message: String) {
        actions.append(.log(SessionLogEntry(level, message)))
    }

    /// A debug line about an event the session ignores, with the state named (events off the
    /// per-message path only: the text is built even when debug lines are off).
    mutating func debug(_ message: String) {
        guard settings.detailedLogging else { return }
        log(.debug, "[\(tag)] \(message) (state \(state.name))")
    }

    /// An event the state machine's own invariants rule out: logged as an error (and a failed
    /// assertion in debug builds), then ignored.
    mutating func internalError(_ what: String) {
        log(.error, "[\(tag)] [session][internal] \(what) (state \(state.name))")
        assertionFailure(what)
    }

    /// Per-connection state cleared by `K` (quit, new session on the same connection).
    mutating func resetConnectionState() {
        writeSessionStatistics()
        mtaMacros.removeAll()
        outcome = .undecided
        lastState = .negotiate
        expiredStatus = nil
        dnsbl = nil
        dnsblRequested = nil
    }

    /// QUIT to every child, statistics, done.
    mutating func endSession() {
        quitChildren()
        writeSessionStatistics()
        state = .finished
    }

    mutating func writeSessionStatistics() {
        let elapsed = Double(environment.now() &- startedAt) / 1e9
        log(.statistics, "[session][end][\(lastState.stageName)][\(outcome.nick)][\(CFormat.g(elapsed))](\(tag))")
        environment.observer?.sessionEnded(stage: lastState, status: outcome.nick)
    }
}
