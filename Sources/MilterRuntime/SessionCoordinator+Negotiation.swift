import MilterProtocol

extension SessionCoordinator {
    /// The MTA's `O`: connect every child; answer when all have negotiated or failed.
    mutating func startNegotiation(_ option: Negotiation) {
        mtaOption = option
        lastState = .negotiate
        if children.isEmpty {
            finishNegotiation()
            return
        }
        phase = .negotiating
        for index in children.indices {
            children[index].connection = .connecting
            children[index].waitStarted = environment.now()
            actions.append(.connectChild(index))
        }
    }

    /// After `K`: connect the children again before the next command runs.
    mutating func reconnectChildren() {
        needsReconnect = false
        phase = .negotiating
        for index in children.indices {
            let tag = children[index].tag
            children[index] = ChildState(definition: children[index].definition, tag: tag)
            children[index].connection = .connecting
            children[index].waitStarted = environment.now()
            actions.append(.connectChild(index))
        }
    }

    /// The connection to child `index` is up: offer it the MTA's option, unchanged.
    public mutating func childConnected(_ index: Int) {
        guard children[index].connection == .connecting else { return }
        children[index].connection = .negotiating
        let offer = NegotiationRules.childOffer(fromMTA: mtaOption)
        children[index].awaiting = .negotiate
        children[index].lastState = .negotiate
        actions.append(.sendToChild(index, [.negotiate(offer)], timer: .connection))
    }

    /// Child `index` could not be connected.
    public mutating func childConnectFailed(_ index: Int, reason: String) {
        guard children[index].connection == .connecting else { return }
        let child = children[index]
        log(.error, "[\(tag)] [children][error][connection] [\(child.tag)] \(reason): \(child.definition.name)")
        failNegotiation(index)
    }

    /// The child answered `O`.
    mutating func childNegotiated(_ index: Int, reply: Negotiation) {
        let offer = NegotiationRules.childOffer(fromMTA: mtaOption)
        do {
            children[index].session = try NegotiationRules.childSession(offered: offer, reply: reply)
            children[index].connection = .ready
            stopWaiting(index)
            actions.append(.cancelChildTimer(index))
            if settings.detailedLogging {
                log(
                    .debug,
                    "[\(tag)] [children][negotiated] [\(children[index].tag)] version=\(reply.version) "
                        + "action=\(children[index].session.actions.nickDescription) "
                        + "step=\(children[index].session.steps.nickDescription): \(children[index].definition.name)")
            }
            negotiationProgressed()
        } catch {
            log(
                .error,
                "[\(tag)] [children][error][negotiate] [\(children[index].tag)] \(error): \(children[index].definition.name)"
            )
            failNegotiation(index)
        }
    }

    /// A child that failed before it was ready.
    mutating func failNegotiation(_ index: Int) {
        closeChild(index, status: .error)
        negotiationProgressed()
    }

    mutating func negotiationProgressed() {
        guard phase == .negotiating else { return }
        if children.contains(where: { $0.connection == .connecting || $0.connection == .negotiating }) { return }
        finishNegotiation()
    }

    /// Every child answered or failed: answer the MTA (once per connection) and apply the
    /// negotiation fallback (runtime.md §1.5 step 7).
    mutating func finishNegotiation() {
        if upward == nil {
            var merger = NegotiationMerger(mta: mtaOption)
            for child in children where child.isAlive { merger.add(child: child.session) }
            let reply = merger.reply()
            upward = reply
            actions.append(.sendToMTA([.negotiate(reply)]))
        }
        let failed = children.filter { $0.status == .error && $0.lastState == .negotiate }
        let strongest = failed.reduce(MilterStatus.notChange) { $0.combined(with: $1.definition.fallbackStatus) }
        if strongest.isRefusal {
            log(.error, "[\(tag)] [children][error][negotiate][\(strongest.nick)] a milter failed at negotiation")
            for index in children.indices where children[index].isAlive { quitChild(index, status: .abort) }
            expiredStatus = strongest
        }
        phase = .idle
        drainQueue()
    }
}
