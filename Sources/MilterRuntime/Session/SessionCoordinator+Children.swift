import MilterProtocol
import MilterSupport

/// Events from the children, their failures, and sending to and closing them.
extension SessionCoordinator {
    // MARK: - Events from children

    /// A reply from child `index`.
    public mutating func childReply(_ index: Int, _ reply: MilterReply) {
        switch children[index].connection {
        case .finished:
            // Sent before it read our QUIT (or after we gave it up): only noted (runtime.md §1.3).
            debug("[children][reply][quitted] [\(children[index].tag)] \(reply.code.character)")
            return
        case .notStarted, .connecting:
            internalError("a reply from child \(index) before it was connected")
            return
        case .negotiating:
            guard case .negotiating(var round) = state else {
                internalError("child \(index) negotiates outside the negotiation")
                return
            }
            state = .modifying
            state = negotiationReply(&round, index, reply) ?? .negotiating(round)
        case .ready:
            guard children[index].awaiting != nil else {
                failChild(index, reason: "[reply][unexpected] \(reply.code.character) while no command was pending")
                drainQueue()
                return
            }
            switch state {
            case .broadcast(var round):
                state = .modifying
                state = broadcastReply(&round, index, reply) ?? .broadcast(round)
            case .message(var flight):
                state = .modifying
                let next = messageReply(&flight, index, reply)
                state = settle(next, flight)
            case .awaitingNegotiation, .negotiating, .awaitingReconnect, .idle, .finished, .modifying:
                internalError("child \(index) owes a reply while no command is in flight")
                return
            }
        }
        drainQueue()
    }

    /// Child `index` closed its connection.
    public mutating func childClosed(_ index: Int) {
        switch children[index].connection {
        case .finished, .notStarted:
            // Our own close (QUIT, expiry, session end) coming back from the I/O layer.
            return
        case .connecting:
            childConnectFailed(index, reason: "connection closed")
        case .negotiating:
            failChild(index, reason: "[negotiate] connection closed before the negotiation reply")
        case .ready:
            if children[index].awaiting != nil {
                failChild(index, reason: "connection closed while a reply was pending")
            } else {
                if settings.detailedLogging {
                    log(
                        .info, "[\(tag)] [children][closed] [\(children[index].tag)] \(children[index].definition.name)"
                    )
                }
                closeChild(index, outcome: nil)
            }
        }
        drainQueue()
    }

    /// Child `index` sent bytes that are not a milter packet, or its socket failed.
    public mutating func childError(_ index: Int, _ reason: String) {
        switch children[index].connection {
        case .finished, .notStarted:
            debug("[children][error][ignored] [\(children[index].tag)] \(reason)")
        case .connecting:
            childConnectFailed(index, reason: reason)
        case .negotiating, .ready:
            failChild(index, reason: reason)
            drainQueue()
        }
    }

    /// A timer of child `index` fired (writing or `timer`).
    public mutating func childTimeout(_ index: Int, _ timer: ReplyTimer, writing: Bool = false) {
        let kind = writing ? "writing" : timer.name
        let child = children[index]
        switch child.connection {
        case .finished, .notStarted:
            debug("[children][timeout][\(kind)][ignored] [\(child.tag)] the timer outlived the connection")
            return
        case .connecting, .negotiating, .ready:
            break
        }
        log(
            .error,
            "[\(tag)] [children][timeout][\(kind)][\(child.lastState.stageName)][\(child.definition.fallbackStatus.nick)] "
                + "[\(child.tag)] \(child.definition.name)")
        if child.connection == .connecting {
            connectionFailed(index, reason: nil)
        } else {
            failChild(index, reason: nil)
            drainQueue()
        }
    }

    // MARK: - Failures

    /// What a child owed when it broke.
    enum Debt {
        /// Nothing: no command of the session waits for it.
        case nothing
        /// Its negotiation answer.
        case negotiation
        /// Its reply for this stage.
        case reply(ReplyStage)
    }

    /// A child broke (error, timeout, violation, lost connection) while the session's state is
    /// in place: it is expired, and its fallback stands in for what it owed.
    mutating func failChild(_ index: Int, reason: String?) {
        switch expire(index, reason: reason) {
        case .nothing:
            return
        case .negotiation:
            guard case .negotiating(var round) = state else {
                internalError("child \(index) owed a negotiation outside the negotiation")
                return
            }
            state = .modifying
            state = negotiationChildFailed(&round, index) ?? .negotiating(round)
        case .reply(.broadcast):
            guard case .broadcast(var round) = state else {
                internalError("child \(index) owed a broadcast reply outside a broadcast")
                return
            }
            state = .modifying
            state = broadcastChildFailed(&round, index) ?? .broadcast(round)
        case .reply(.message):
            guard case .message(var flight) = state else {
                internalError("child \(index) owed a message reply outside a message")
                return
            }
            state = .modifying
            let next = messageChildFailed(&flight, index)
            state = settle(next, flight)
        }
    }

    /// Logs the failure (unless the caller did), stops the child's timer and closes it: expired
    /// for the rest of the session. Returns what it owed, for the caller's state.
    mutating func expire(_ index: Int, reason: String?) -> Debt {
        let child = children[index]
        if let reason {
            log(
                .error,
                "[\(tag)] [children][error][\(child.lastState.stageName)][\(child.definition.fallbackStatus.nick)] "
                    + "[\(child.tag)] \(reason): \(child.definition.name)")
        }
        let debt: Debt
        if child.connection == .negotiating {
            debt = .negotiation
        } else if let stage = child.awaiting {
            debt = .reply(stage)
        } else {
            debt = .nothing
        }
        if child.owesReply { actions.append(.cancelChildTimer(index)) }
        stopWaiting(index)
        closeChild(index, outcome: .failed)
        return debt
    }

    // MARK: - Sending and closing

    /// Sends `command` to child `index` with the stage's macros in the same write; `stage` is
    /// the reply it then owes (nil: no reply expected).
    mutating func send(_ index: Int, _ command: MilterCommand, awaiting stage: ReplyStage?) {
        var commands: [MilterCommand] = []
        if let macros = macroPacket(for: index, stage: command.code) { commands.append(macros) }
        commands.append(command)
        children[index].lastState = command.code
        guard let stage else {
            actions.append(.sendToChild(index, commands, timer: nil))
            return
        }
        children[index].awaiting = stage
        children[index].waitStarted = environment.now()
        let timer: ReplyTimer = stage == .message(.endOfMessage) ? .endOfMessage : .reading
        actions.append(.sendToChild(index, commands, timer: timer))
    }

    /// The `D` packet for `stage` as this child should get it, or nil when there is none.
    func macroPacket(for index: Int, stage: MilterCommandCode) -> MilterCommand? {
        switch stage {
        case .connect, .helo, .mail, .recipient, .data, .header, .endOfHeader, .body, .endOfMessage:
            break
        case .unknown, .abort, .quit, .quitNewConnection, .negotiate, .macro:
            return nil
        }
        let fromMTA = mtaMacros[stage]
        let fromConditions = children[index].conditionMacros[stage]
        if fromMTA == nil && fromConditions == nil { return nil }
        var macros = fromMTA ?? []
        for macro in fromConditions ?? [] {
            if let existing = macros.firstIndex(where: { $0.name == macro.name }) {
                macros[existing] = macro
            } else {
                macros.append(macro)
            }
        }
        let selected = NegotiationRules.macros(toSend: macros, stage: stage, childSession: children[index].session)
        return .macro(stage: stage, macros: selected)
    }

    /// Ends a wait for a reply and adds its duration to the child's total.
    mutating func stopWaiting(_ index: Int) {
        if let started = children[index].waitStarted {
            children[index].waitTotal &+= environment.now() &- started
            children[index].waitStarted = nil
        }
        children[index].awaiting = nil
    }

    /// The child answered: its wait and its timer end.
    mutating func stopWaitingForReply(_ index: Int) {
        stopWaiting(index)
        actions.append(.cancelChildTimer(index))
    }

    /// QUIT to a live child, then close it (no-op for a child that is not alive).
    mutating func quitChild(_ index: Int, outcome: ChildOutcome?) {
        guard children[index].isAlive else { return }
        if children[index].awaiting != nil { stopWaitingForReply(index) }
        actions.append(.sendToChild(index, [.quit], timer: nil))
        closeChild(index, outcome: outcome)
    }

    /// Closes the connection to a child (once) and writes its statistics line; `outcome`, when
    /// given, is what became of it.
    mutating func closeChild(_ index: Int, outcome: ChildOutcome?) {
        guard children[index].connection != .finished else { return }
        let started = children[index].connection != .notStarted
        children[index].connection = .finished
        children[index].inMessage = false
        children[index].awaiting = nil
        if let outcome { children[index].outcome = outcome }
        guard started else { return }
        actions.append(.closeChild(index))
        let child = children[index]
        let elapsed = Double(child.waitTotal) / 1e9
        log(
            .statistics,
            "[milter][end][\(child.lastState.stageName)][\(child.outcome.nick)][\(CFormat.g(elapsed))](\(child.tag)): "
                + child.definition.name)
        environment.observer?.milterEnded(child.definition.name, stage: child.lastState, status: child.outcome.nick)
    }

    /// QUIT to every live child; connections still being set up are closed.
    mutating func quitChildren() {
        for index in children.indices {
            switch children[index].connection {
            case .ready: quitChild(index, outcome: nil)
            case .connecting, .negotiating: closeChild(index, outcome: .aborted)
            case .notStarted, .finished: break
            }
        }
    }
}
