import MilterProtocol

/// Negotiation (runtime.md §1.5): every child is connected and offered the MTA's option; the MTA
/// is answered once every child answered or failed.
extension SessionCoordinator {
    /// The MTA's `O`: connect every child.
    mutating func startNegotiation(_ option: Negotiation) -> SessionState {
        mtaOption = option
        lastState = .negotiate
        return connectChildren(fresh: false)
    }

    /// Opens a connection to every child; `fresh` (after `K`) forgets what the old connections
    /// knew.
    mutating func connectChildren(fresh: Bool) -> SessionState {
        if children.isEmpty { return finishNegotiation(NegotiationRound(pending: 0)) }
        for index in children.indices {
            if fresh { children[index] = ChildState(definition: children[index].definition, tag: children[index].tag) }
            children[index].connection = .connecting
            children[index].waitStarted = environment.now()
            actions.append(.connectChild(index))
        }
        return .negotiating(NegotiationRound(pending: children.count))
    }

    /// The connection to child `index` is up: offer it the MTA's option, unchanged.
    public mutating func childConnected(_ index: Int) {
        guard children[index].connection == .connecting, case .negotiating = state else {
            // Nothing waits for this connection (the child was given up): close it.
            debug("[children][connected][unexpected] [\(children[index].tag)] \(children[index].definition.name)")
            actions.append(.closeChild(index))
            return
        }
        children[index].connection = .negotiating
        children[index].lastState = .negotiate
        let offer = NegotiationRules.childOffer(fromMTA: mtaOption)
        actions.append(.sendToChild(index, [.negotiate(offer)], timer: .connection))
    }

    /// Child `index` could not be connected.
    public mutating func childConnectFailed(_ index: Int, reason: String) {
        connectionFailed(index, reason: reason)
    }

    /// A child's connection failed while it was being opened; `reason` is logged unless the
    /// caller logged the failure already.
    mutating func connectionFailed(_ index: Int, reason: String?) {
        guard children[index].connection == .connecting, case .negotiating(var round) = state else {
            debug("[children][error][connection][ignored] [\(children[index].tag)] \(reason ?? "timeout")")
            return
        }
        state = .modifying
        let child = children[index]
        if let reason {
            log(.error, "[\(tag)] [children][error][connection] [\(child.tag)] \(reason): \(child.definition.name)")
        }
        closeChild(index, outcome: .failed)
        state = negotiationChildFailed(&round, index) ?? .negotiating(round)
        drainQueue()
    }

    /// The child's answer while it owes its `O`.
    mutating func negotiationReply(_ round: inout NegotiationRound, _ index: Int, _ reply: MilterReply) -> SessionState?
    {
        guard case .negotiate(let option) = reply else {
            _ = expire(index, reason: "[negotiate][invalid] \(reply.code.character) before the negotiation reply")
            return negotiationChildFailed(&round, index)
        }
        let offer = NegotiationRules.childOffer(fromMTA: mtaOption)
        do {
            children[index].session = try NegotiationRules.childSession(offered: offer, reply: option)
        } catch {
            log(
                .error,
                "[\(tag)] [children][error][negotiate] [\(children[index].tag)] \(error): \(children[index].definition.name)"
            )
            closeChild(index, outcome: .failed)
            return negotiationChildFailed(&round, index)
        }
        children[index].connection = .ready
        stopWaiting(index)
        actions.append(.cancelChildTimer(index))
        if settings.detailedLogging {
            let child = children[index]
            log(
                .debug,
                "[\(tag)] [children][negotiated] [\(child.tag)] version=\(option.version) "
                    + "action=\(child.session.actions.nickDescription) "
                    + "step=\(child.session.steps.nickDescription): \(child.definition.name)")
        }
        round.pending -= 1
        return round.pending == 0 ? finishNegotiation(round) : nil
    }

    /// A child failed before it was ready (it is closed already): its fallback is remembered for
    /// step 7. Returns the next state when it was the last child the negotiation waited for.
    mutating func negotiationChildFailed(_ round: inout NegotiationRound, _ index: Int) -> SessionState? {
        round.failures.add(ReplyMerger.failed(fallback: children[index].definition.fallbackStatus))
        round.pending -= 1
        return round.pending == 0 ? finishNegotiation(round) : nil
    }

    /// Every child answered or failed: answer the MTA (once per connection) and apply the
    /// negotiation fallback (runtime.md §1.5 step 7).
    mutating func finishNegotiation(_ round: NegotiationRound) -> SessionState {
        if upward == nil {
            var merger = NegotiationMerger(mta: mtaOption)
            for child in children where child.isAlive { merger.add(child: child.session) }
            let reply = merger.reply()
            upward = reply
            actions.append(.sendToMTA([.negotiate(reply)]))
        }
        if let expiry = ReplyMerger.sessionExpiry(negotiationFailures: round.failures) {
            log(.error, "[\(tag)] [children][error][negotiate][\(expiry.nick)] a milter failed at negotiation")
            for index in children.indices where children[index].isAlive { quitChild(index, outcome: .aborted) }
            expiredStatus = expiry
        }
        return .idle(.envelope(.beforeMail))
    }
}
