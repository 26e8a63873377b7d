import MilterProtocol

/// Broadcast stages (connect, helo, envelope-from, envelope-recipient, data, unknown): every
/// eligible child gets the command at once and the MTA gets one combined answer
/// (runtime.md §2.1-2.4).
extension SessionCoordinator {
    /// A broadcast command from the MTA in a ready session.
    mutating func broadcastCommand(
        _ stage: ReplyStage.Broadcast, _ command: MilterCommand, in transaction: consuming Transaction
    ) -> SessionState {
        lastState = stage.code
        var envelope: Transaction.Envelope
        switch consume transaction {
        case .envelope(let current):
            envelope = current
        case .message, .messageAnswered:
            // An MTA that starts another stage inside a message: as libmilter does, the message
            // is aborted first.
            if settings.detailedLogging {
                log(
                    .debug, "[\(tag)] [client][state][\(stage.code.stageName)] sent inside a message: aborting it first"
                )
            }
            abortMessage(reason: "\(stage.code.stageName) inside a message")
            envelope = .beforeMail
        }
        switch stage {
        case .envelopeFrom:
            startTransaction()
            envelope = .recipients
        case .data:
            envelope = .afterData
        case .connect, .helo, .envelopeRecipient, .unknown:
            break
        }
        return startBroadcast(stage, command, envelope: envelope, held: nil)
    }

    /// Sends the command to every eligible child; answers at once when no child owes a reply.
    mutating func startBroadcast(
        _ stage: ReplyStage.Broadcast, _ command: MilterCommand, envelope: Transaction.Envelope,
        held: MessageFlight.Input?
    ) -> SessionState {
        var round = BroadcastRound(stage: stage, command: command, envelope: envelope, held: held)
        var eligible = 0
        for index in children.indices where children[index].isAlive {
            switch stage {
            case .connect, .helo, .envelopeFrom, .unknown:
                break
            case .envelopeRecipient:
                guard children[index].inMessage else { continue }
            case .data:
                guard children[index].inMessage else { continue }
                guard ReplyMerger.takesMessage(acceptedRecipients: children[index].acceptedRecipients) else {
                    leaveMessage(index, outcome: children[index].recipientRefusal.map { .verdict($0) }, sendAbort: true)
                    continue
                }
            }
            eligible += 1
            admit(&round, index)
        }
        guard eligible > 0 else {
            let noneAlive = !children.contains(where: \.isAlive)
            let messageStage = stage == .envelopeRecipient || stage == .data
            answerWithoutChildren(
                noneAlive || !messageStage
                    ? "[alive] All milters are no longer alive."
                    : "[message-processing] None of milters are processing message.")
            return .idle(.envelope(envelope))
        }
        return round.pending == 0 ? finishBroadcast(round) : .broadcast(round)
    }

    /// One eligible child: its applicable conditions (from position `first` on) decide whether
    /// it gets the command; one that waits for the DNSBL verdict is admitted when it arrives.
    mutating func admit(_ round: inout BroadcastRound, _ index: Int, from first: Int = 0) {
        let stage = ReplyStage.broadcast(round.stage)
        switch admission(for: index, round.command, at: stage, from: first) {
        case .apply:
            deliver(&round, index)
        case .stop(let scope):
            stopChild(index, scope: scope, at: stage)
            round.merger.add(ReplyMerger.stopped(at: stage))
        case .fail(let reason):
            failByCondition(index, reason: reason, at: stage)
            round.merger.add(ReplyMerger.failed(fallback: children[index].definition.fallbackStatus))
        case .awaitDNSBL(let next):
            round.dnsblWaits.append((index, next))
            round.pending += 1
        }
    }

    /// Sends the command to an admitted child, or answers for it locally with `continue` when
    /// it asked not to see the event or not to answer it (or the recipient is one the MTA
    /// already rejected and the child did not ask to see those).
    mutating func deliver(_ round: inout BroadcastRound, _ index: Int) {
        let stage = round.stage
        if stage == .envelopeRecipient, !children[index].session.steps.contains(.recipientRejected),
            mtaMacros[.recipient]?.contains(where: { $0.name == "rcpt_mailer" && $0.value == "error" }) == true
        {
            round.merger.add(Verdict(.continue))
            return
        }
        let sees = !children[index].skipsEvent(stage.code)
        let answers = sees && !children[index].skipsReply(stage.code)
        if sees { send(index, round.command, awaiting: answers ? .broadcast(stage) : nil) }
        if answers {
            round.pending += 1
        } else {
            // No event or no reply negotiated: a local `continue` (the recipient counts).
            if stage == .envelopeRecipient { children[index].acceptedRecipients += 1 }
            round.merger.add(Verdict(.continue))
        }
    }

    /// A fresh transaction: every live child takes part until it leaves.
    mutating func startTransaction() {
        for index in children.indices {
            children[index].inMessage = children[index].isAlive
            children[index].acceptedRecipients = 0
            children[index].sawRestrictedRecipient = false
            children[index].recipientRefusal = nil
            for code in Self.messageStages { children[index].conditionMacros[code] = nil }
        }
    }

    /// The stages whose macros belong to one transaction.
    static let messageStages: [MilterCommandCode] = [
        .mail, .recipient, .data, .header, .endOfHeader, .body, .endOfMessage,
    ]

    /// A reply from a child for the broadcast command; the next state when it was the last
    /// one the broadcast waited for.
    mutating func broadcastReply(_ round: inout BroadcastRound, _ index: Int, _ reply: MilterReply) -> SessionState? {
        let stage = round.stage
        guard children[index].awaiting == .broadcast(stage) else {
            internalError("child \(index) answered a broadcast it was not sent")
            return nil
        }
        switch ReplyMerger.meaning(of: reply, at: stage) {
        case .failure(let reason):
            _ = expire(index, reason: reason)
            return broadcastChildFailed(&round, index)
        case .verdict(let verdict):
            stopWaitingForReply(index)
            children[index].record(verdict.status)
            round.merger.add(
                ReplyMerger.counted(verdict, evaluationMode: children[index].definition.evaluationMode))
            switch ReplyMerger.effect(of: verdict.status, at: stage) {
            case .none: break
            case .acceptsRecipient: children[index].acceptedRecipients += 1
            case .refusesRecipient: children[index].recipientRefusal = verdict.status
            case .leavesMessage: leaveMessage(index, outcome: nil, sendAbort: false)
            case .leavesSession: quitChild(index, outcome: nil)
            }
            round.pending -= 1
            return round.pending == 0 ? finishBroadcast(round) : nil
        }
    }

    /// A child broke while it owed a broadcast reply (it is expired already): its fallback
    /// counts.
    mutating func broadcastChildFailed(_ round: inout BroadcastRound, _ index: Int) -> SessionState? {
        round.merger.add(ReplyMerger.failed(fallback: children[index].definition.fallbackStatus))
        round.pending -= 1
        return round.pending == 0 ? finishBroadcast(round) : nil
    }

    /// Every child answered: one combined answer to the MTA (or, after an emulated DATA that
    /// the children continued, the message command that waited for it).
    mutating func finishBroadcast(_ round: BroadcastRound) -> SessionState {
        let answer = round.merger.answer(at: .broadcast(round.stage))
        if let held = round.held, answer.status == .continue {
            return messageCommand(held, in: .envelope(.afterData))
        }
        replyToMTA(answer)
        if ReplyMerger.abortsMessage(after: answer.status, at: round.stage) {
            abortMessage(reason: "\(round.stage.code.stageName) was refused")
            return .idle(.envelope(.beforeMail))
        }
        return .idle(.envelope(round.envelope))
    }

    /// Takes a child out of the current transaction; ABORT when it was given any of it.
    /// `outcome`, when given, is what became of it. A child not in it stays as it is.
    mutating func leaveMessage(_ index: Int, outcome: ChildOutcome?, sendAbort: Bool) {
        guard children[index].inMessage else { return }
        children[index].inMessage = false
        if let outcome { children[index].outcome = outcome }
        if sendAbort && children[index].isAlive {
            actions.append(.sendToChild(index, [.abort], timer: nil))
        }
    }

    /// ABORT to every child in the transaction, and forget the transaction's macros. The caller
    /// drops the message itself (the state after it is `.idle(.envelope(.beforeMail))`).
    mutating func abortMessage(reason: String) {
        for index in children.indices where children[index].inMessage && children[index].isAlive {
            if children[index].lastState == .recipient, let refusal = children[index].recipientRefusal {
                children[index].outcome = .verdict(refusal)
            }
            leaveMessage(index, outcome: nil, sendAbort: true)
        }
        endTransaction()
        if settings.detailedLogging {
            log(.debug, "[\(tag)] [children][abort] \(reason)")
        }
    }

    /// After the final answer or an abort: children stay for the next transaction; its macros
    /// are forgotten.
    mutating func endTransaction() {
        for index in children.indices { children[index].inMessage = false }
        for code in Self.messageStages { mtaMacros[code] = nil }
    }
}
