import MilterProtocol
import NIOCore

/// Message stages (header, end-of-header, body, end-of-message): children one after the
/// other in definition order, each seeing the message as the earlier ones left it
/// (runtime.md §2.1, §2.3, §2.5).
extension SessionCoordinator {
    /// Where the message is after an event.
    enum MessageNext {
        /// The head child owes a reply.
        case awaitChild
        /// The head child caught up; the MTA was told to go on.
        case awaitMTA
        /// The message is over for now (answered, refused, or every child left early).
        case done(SessionState)
    }

    /// The session state for `next`, with the message where it belongs.
    func settle(_ next: MessageNext, _ flight: MessageFlight) -> SessionState {
        switch next {
        case .awaitChild: return .message(flight)
        case .awaitMTA: return .idle(.message(flight))
        case .done(let state): return state
        }
    }

    /// A message command from the MTA in a ready session.
    mutating func messageCommand(_ input: MessageFlight.Input, in transaction: consuming Transaction) -> SessionState {
        lastState = input.stage.code
        switch consume transaction {
        case .messageAnswered(let status):
            replyToMTA(Verdict(status))
            guard case .endOfMessage = input else { return .idle(.messageAnswered(status)) }
            endTransaction()
            return .idle(.envelope(.beforeMail))
        case .message(var flight):
            flight.record(input)
            let next = pump(&flight)
            return settle(next, flight)
        case .envelope(let envelope):
            if envelope != .afterData && children.contains(where: wantsData) {
                // The MTA sent no DATA (runtime.md §2.7): children that speak 4+ still get one
                // before the message; the command waits for their answers.
                return startBroadcast(.data, .data, envelope: .afterData, held: input)
            }
            var flight = startMessage()
            flight.record(input)
            let next = pump(&flight)
            return settle(next, flight)
        }
    }

    /// Whether a child is to be sent an emulated DATA.
    func wantsData(_ child: ChildState) -> Bool {
        child.isAlive && child.inMessage && child.acceptedRecipients > 0 && !child.skipsEvent(.data)
    }

    /// The first message command: the children that still take part form the queue; those that
    /// refused every recipient are aborted (runtime.md §2.4).
    mutating func startMessage() -> MessageFlight {
        var queue: [Int] = []
        for index in children.indices where children[index].isAlive && children[index].inMessage {
            if ReplyMerger.takesMessage(acceptedRecipients: children[index].acceptedRecipients) {
                queue.append(index)
            } else {
                leaveMessage(index, outcome: children[index].recipientRefusal.map { .verdict($0) }, sendAbort: true)
            }
        }
        return MessageFlight(queue: queue, spool: settings.bodySpool)
    }

    /// Feeds the head child until it owes a reply, catches up with the MTA, or the queue ends.
    mutating func pump(_ flight: inout MessageFlight) -> MessageNext {
        while true {
            if let failure = flight.message.spoolFailure { return bodySpoolFailed(&flight, failure) }
            guard let head = flight.head else { return finishMessage(&flight) }
            guard children[head].isAlive, children[head].inMessage else {
                flight.nextChild()
                continue
            }
            guard let item = flight.nextItem() else {
                replyToMTA(Verdict(.continue))
                return .awaitMTA
            }
            let fix = ReplyMerger.fixesLeadingSpace(granted: upward?.steps, child: children[head].session.steps)
            let command = flight.take(item) { ReplyMerger.valueForChild($0, fix: fix) }
            if let failure = flight.message.spoolFailure { return bodySpoolFailed(&flight, failure) }
            let stage = item.stage
            switch admission(for: head, command, at: .message(stage)) {
            case .apply, .awaitDNSBL:
                // DNSBL conditions decide at connect only: never awaited here.
                break
            case .stop(let scope):
                stopChild(head, scope: scope, at: .message(stage))
                headFinished(&flight, head, counting: ReplyMerger.stopped(at: .message(stage)))
                continue
            case .fail(let reason):
                failByCondition(head, reason: reason, at: .message(stage))
                return messageChildFailed(&flight, head)
            }
            if children[head].skipsEvent(command.code) { continue }
            if stage == .endOfMessage || !children[head].skipsReply(command.code) {
                send(head, command, awaiting: .message(stage))
                return .awaitChild
            }
            send(head, command, awaiting: nil)
        }
    }

    /// A reply from the head child.
    mutating func messageReply(_ flight: inout MessageFlight, _ index: Int, _ reply: MilterReply) -> MessageNext {
        guard flight.head == index, case .message(let stage)? = children[index].awaiting else {
            internalError("child \(index) answered a message command it was not sent")
            return .awaitChild
        }
        switch ReplyMerger.meaning(of: reply, at: stage) {
        case .failure(let reason):
            _ = expire(index, reason: reason)
            return messageChildFailed(&flight, index)
        case .progress:
            actions.append(.sendToMTA([.progress]))
            actions.append(.restartChildTimer(index, .endOfMessage))
            return .awaitChild
        case .quarantine(let reason):
            if admitsChange(.quarantine(reason: reason), from: index) { flight.message.quarantineReason = reason }
            return .awaitChild
        case .modification(let modification):
            logHeaderChange(modification, from: index)
            if admitsChange(.modification(modification), from: index) {
                let fix = ReplyMerger.fixesLeadingSpace(granted: upward?.steps, child: children[index].session.steps)
                ReplyMerger.merge(modification, into: &flight.message, fixLeadingSpace: fix)
            }
            return .awaitChild
        case .verdict(let verdict):
            stopWaitingForReply(index)
            children[index].record(verdict.status)
            let evaluation = children[index].definition.evaluationMode
            return follow(ReplyMerger.step(after: verdict, at: stage, evaluationMode: evaluation), of: index, &flight)
        }
    }

    /// The head child broke while it owed a reply (it is expired already): its fallback decides,
    /// like a reply would; a body it was sending is dropped.
    mutating func messageChildFailed(_ flight: inout MessageFlight, _ index: Int) -> MessageNext {
        flight.message.pendingBody = nil
        let step = ReplyMerger.step(afterFailureWithFallback: children[index].definition.fallbackStatus)
        return follow(step, of: index, &flight)
    }

    /// Carries out the head child's step.
    mutating func follow(_ step: ReplyMerger.MessageStep, of index: Int, _ flight: inout MessageFlight) -> MessageNext {
        switch step {
        case .nextItem:
            return pump(&flight)
        case .skipsBody:
            flight.cursor.skipBody = true
            return pump(&flight)
        case .leaves(let counted):
            headFinished(&flight, index, counting: counted)
            return pump(&flight)
        case .refuses(let verdict):
            children[index].inMessage = false
            return .done(refuseMessage(verdict))
        }
    }

    /// The head child is done with the message: its verdict is merged, a body it sent becomes
    /// the body, and the next child is to get the whole message.
    mutating func headFinished(_ flight: inout MessageFlight, _ index: Int, counting verdict: Verdict) {
        flight.merger.add(verdict)
        // Left before the end: ABORT tells it the message is over for it.
        leaveMessage(index, outcome: nil, sendAbort: !flight.cursor.sentEndOfMessage)
        ReplyMerger.childFinished(&flight.message, chunkSize: settings.chunkSize)
        flight.nextChild()
    }

    /// A child refused the message: the MTA gets the answer now; every child is aborted.
    mutating func refuseMessage(_ verdict: Verdict) -> SessionState {
        replyToMTA(verdict)
        abortMessage(reason: "a milter refused the message (\(verdict.status.nick))")
        return .idle(.envelope(.beforeMail))
    }

    /// The queue is empty: at end-of-message the final answer with every change; before it,
    /// every child left and the MTA gets the merged answer for its command (and the same for
    /// the rest of the message).
    mutating func finishMessage(_ flight: inout MessageFlight) -> MessageNext {
        guard flight.sawEndOfMessage else {
            let answer = flight.merger.answer(at: .message(flight.mtaStage))
            replyToMTA(answer)
            return .done(.idle(.messageAnswered(answer.status)))
        }
        let answer = flight.merger.answer(at: .message(.endOfMessage))
        let reply = ReplyMerger.endOfMessageAnswer(flight.message, answer: answer)
        for reply in reply.repliesWithoutBody {
            switch reply {
            case .modification(.addHeader(let name, let value)), .modification(.insertHeader(_, let name, let value)),
                .modification(.changeHeader(_, let name, let value)):
                if !value.isEmpty {
                    log(.statistics, "[session][header][add](\(tag)): <\(name.string)>=<\(value.string)>")
                }
            case .quarantine:
                log(.statistics, "[reply][end-of-message][quarantine](\(tag))")
            case .negotiate, .continue, .accept, .reject, .temporaryFailure, .discard, .skip, .progress,
                .connectionFailure, .shutdown, .replyCode, .setSymbolList, .modification:
                break
            }
        }
        outcome = .answered(answer.status)
        actions += reply.actions
        observeAnswer()
        if flight.message.body.isSpooled { environment.observer?.bodySpooled(bytes: flight.message.body.byteCount) }
        endTransaction()
        return .done(.idle(.envelope(.beforeMail)))
    }

    /// The statistics line of a child's header change (written also in evaluation mode).
    mutating func logHeaderChange(_ modification: MessageModification, from index: Int) {
        switch modification {
        case .addHeader(let name, let value), .insertHeader(_, let name, let value),
            .changeHeader(_, let name, let value):
            guard !value.isEmpty else { return }
            let child = children[index]
            log(
                .statistics,
                "[milter][header][add](\(child.tag)): <\(name.string)>=<\(value.string)>: \(child.definition.name)")
        case .changeFrom, .addRecipient, .deleteRecipient, .replaceBody:
            break
        }
    }

    /// Whether a child's end-of-message change (or quarantine) is merged; one that was not
    /// negotiated is dropped with a warning (never sent to the MTA).
    mutating func admitsChange(_ reply: MilterReply, from index: Int) -> Bool {
        let child = children[index]
        switch ReplyMerger.fate(
            of: reply, evaluationMode: child.definition.evaluationMode, childActions: child.session.actions,
            grantedActions: upward?.actions)
        {
        case .merged:
            return true
        case .ignoredInEvaluationMode:
            return false
        case .notGranted(let required):
            log(
                .warning,
                "[\(tag)] [leader][error][\(reply.code.character)] [\(child.tag)] not negotiated "
                    + "(\(required.nickDescription)); dropped: \(child.definition.name)")
            return false
        }
    }
}
