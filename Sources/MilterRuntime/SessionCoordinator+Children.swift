import MilterProtocol

extension SessionCoordinator {
    // MARK: - Events from children

    /// Whether child `index` owes a reply now.
    public func isAwaitingReply(from index: Int) -> Bool {
        children[index].awaiting != nil || children[index].connection == .negotiating
    }

    /// A reply from child `index`.
    public mutating func childReply(_ index: Int, _ reply: MilterReply) {
        guard phase != .finished else { return }
        switch children[index].connection {
        case .finished, .notStarted, .connecting:
            return
        case .negotiating:
            guard case .negotiate(let option) = reply else {
                failChild(index, reason: "[negotiate][invalid] \(reply.code.character) before the negotiation reply")
                return
            }
            childNegotiated(index, reply: option)
        case .ready:
            guard let awaiting = children[index].awaiting else {
                failChild(index, reason: "[reply][unexpected] \(reply.code.character) while no command was pending")
                return
            }
            switch awaiting {
            case .connect, .helo, .mail, .recipient, .data, .unknown:
                broadcastReply(index, reply)
            case .header, .endOfHeader, .body, .endOfMessage:
                messageReply(index, reply)
            case .negotiate, .macro, .abort, .quit, .quitNewConnection:
                failChild(index, reason: "[reply][unexpected] \(reply.code.character) after \(awaiting.stageName)")
            }
        }
    }

    /// Child `index` closed its connection.
    public mutating func childClosed(_ index: Int) {
        guard phase != .finished else { return }
        switch children[index].connection {
        case .finished, .notStarted:
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
                closeChild(index, status: children[index].status)
            }
        }
    }

    /// Child `index` sent bytes that are not a milter packet, or its socket failed.
    public mutating func childError(_ index: Int, _ reason: String) {
        guard phase != .finished, children[index].connection != .finished else { return }
        if children[index].connection == .connecting {
            childConnectFailed(index, reason: reason)
        } else {
            failChild(index, reason: reason)
        }
    }

    /// A timer of child `index` fired (writing or `timer`).
    public mutating func childTimeout(_ index: Int, _ timer: ReplyTimer, writing: Bool = false) {
        guard phase != .finished, children[index].connection != .finished else { return }
        let kind = writing ? "writing" : timer.name
        let child = children[index]
        log(
            .error,
            "[\(tag)] [children][timeout][\(kind)][\(child.lastState.stageName)][\(child.definition.fallbackStatus.nick)] "
                + "[\(child.tag)] \(child.definition.name)")
        if child.connection == .connecting {
            closeChild(index, status: .error)
            negotiationProgressed()
        } else {
            failChild(index, reason: nil)
        }
    }

    // MARK: - Failures

    /// A child that broke (error, timeout, violation): its fallback status counts for the
    /// current stage and it is expired for the rest of the session.
    mutating func failChild(_ index: Int, reason: String?) {
        let child = children[index]
        let fallback = child.definition.fallbackStatus
        if let reason {
            log(
                .error,
                "[\(tag)] [children][error][\(child.lastState.stageName)][\(fallback.nick)] [\(child.tag)] \(reason): "
                    + child.definition.name)
        }
        let awaiting = child.awaiting
        let wasNegotiating = child.connection == .negotiating
        if awaiting != nil { actions.append(.cancelChildTimer(index)) }
        stopWaiting(index)
        closeChild(index, status: .error)
        if wasNegotiating {
            negotiationProgressed()
            return
        }
        switch awaiting {
        case .connect, .helo, .mail, .recipient, .data, .unknown:
            broadcastChildFailed(index, fallback: fallback)
        case .header, .endOfHeader, .body, .endOfMessage:
            messageChildFailed(index, fallback: fallback)
        case .negotiate, .macro, .abort, .quit, .quitNewConnection, .none:
            break
        }
    }

    // MARK: - Sending and closing

    /// Sends `command` to child `index` with the stage's macros in the same write.
    mutating func send(_ index: Int, _ command: MilterCommand, expectReply: Bool) {
        var commands: [MilterCommand] = []
        if let macros = macroPacket(for: index, stage: command.code) { commands.append(macros) }
        commands.append(command)
        children[index].lastState = command.code
        if expectReply {
            children[index].awaiting = command.code
            children[index].waitStarted = environment.now()
            actions.append(
                .sendToChild(index, commands, timer: command.code == .endOfMessage ? .endOfMessage : .reading))
        } else {
            actions.append(.sendToChild(index, commands, timer: nil))
        }
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
        guard fromMTA != nil || fromConditions != nil else { return nil }
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

    /// QUIT to a live child, then close it.
    mutating func quitChild(_ index: Int, status: MilterStatus? = nil) {
        guard children[index].isAlive else { return }
        if children[index].awaiting != nil {
            stopWaiting(index)
            actions.append(.cancelChildTimer(index))
        }
        actions.append(.sendToChild(index, [.quit], timer: nil))
        closeChild(index, status: status ?? children[index].status)
    }

    /// Closes the connection to a child and writes its statistics line.
    mutating func closeChild(_ index: Int, status: MilterStatus) {
        guard children[index].connection != .finished else { return }
        let started = children[index].connection != .notStarted
        children[index].connection = .finished
        children[index].inMessage = false
        children[index].awaiting = nil
        if status != .notChange { children[index].status = status }
        guard started else { return }
        actions.append(.closeChild(index))
        let child = children[index]
        let elapsed = Double(child.waitTotal) / 1e9
        log(
            .statistics,
            "[milter][end][\(child.lastState.stageName)][\(child.status.nick)][\(Format.g(elapsed))](\(child.tag)): "
                + child.definition.name)
    }

    /// QUIT to every live child; connections still being set up are closed.
    mutating func quitChildren() {
        for index in children.indices {
            switch children[index].connection {
            case .ready: quitChild(index)
            case .connecting, .negotiating: closeChild(index, status: .abort)
            case .notStarted, .finished: break
            }
        }
    }

    /// What conditions see for child `index` at `stage` (macros cumulative up to it).
    func conditionContext(for index: Int, upTo stage: MilterCommandCode) -> ConditionContext {
        let order: [MilterCommandCode] = [
            .connect, .helo, .mail, .recipient, .data, .header, .endOfHeader, .body, .endOfMessage,
        ]
        let stages = order.prefix { $0 != stage } + [stage]
        let own = children[index].conditionMacros
        let mta = mtaMacros
        return ConditionContext(
            macro: { name in
                let wanted = Macro.normalizedName(name)
                for code in stages.reversed() {
                    if let hit = own[code]?.last(where: { $0.name == wanted }) { return hit.value }
                    if let hit = mta[code]?.last(where: { $0.name == wanted }) { return hit.value }
                }
                return nil
            },
            processingSessions: environment.processingSessions(),
            sawRestrictedRecipient: children[index].sawRestrictedRecipient,
            localEndpoint: environment.localEndpoint)
    }

    /// Adds condition macros for a child at a stage.
    mutating func addConditionMacros(_ macros: [Macro], to index: Int, stage: MilterCommandCode) {
        guard !macros.isEmpty else { return }
        children[index].conditionMacros[stage, default: []].append(contentsOf: macros)
    }
}
