import MilterProtocol

/// Broadcast stages (connect, helo, envelope-from, envelope-recipient, data, unknown):
/// every eligible child gets the command at once and the MTA gets one combined answer
/// (runtime.md §2.1-2.4).
extension SessionCoordinator {
    mutating func startBroadcast(_ command: MilterCommand, holding held: MilterCommand? = nil) {
        let code = command.code
        if code == .mail { startTransaction() }
        var eligible: [Int] = []
        for index in children.indices where children[index].isAlive {
            switch code {
            case .connect, .helo, .mail, .unknown:
                eligible.append(index)
            case .recipient:
                if children[index].inMessage { eligible.append(index) }
            case .data:
                guard children[index].inMessage else { continue }
                if children[index].acceptedRecipients == 0 {
                    // Every recipient was refused (or skipped) for this child: not its message.
                    leaveMessage(index, status: children[index].recipientStatus, sendAbort: true)
                } else {
                    eligible.append(index)
                }
            case .negotiate, .macro, .header, .endOfHeader, .body, .endOfMessage, .abort, .quit, .quitNewConnection:
                break
            }
        }
        if code == .data { message.sawData = true }
        guard !eligible.isEmpty else {
            let none = !children.contains(where: \.isAlive)
            answerWithoutChildren(
                none || code == .connect || code == .helo || code == .mail || code == .unknown
                    ? "[alive] All milters are no longer alive."
                    : "[message-processing] None of milters are processing message.")
            phase = .idle
            drainQueue()
            return
        }
        broadcast = Broadcast(command: command, heldCommand: held)
        phase = .broadcast
        for index in eligible {
            if applyBroadcastConditions(index, command) { continue }
            if code == .recipient, !children[index].session.steps.contains(.recipientRejected),
                mtaMacros[.recipient]?.contains(where: { $0.name == "rcpt_mailer" && $0.value == "error" }) == true
            {
                // A recipient the MTA already rejected: only children that asked see those.
                compile(.continue)
                continue
            }
            if children[index].skipsEvent(code) {
                if code == .recipient { children[index].acceptedRecipients += 1 }
                compile(.continue)
                continue
            }
            let expectReply = !children[index].skipsReply(code)
            send(index, command, expectReply: expectReply)
            if expectReply {
                broadcast?.pending += 1
            } else {
                if code == .recipient { children[index].acceptedRecipients += 1 }
                compile(.continue)
            }
        }
        if broadcast?.pending == 0 { finishBroadcast() }
    }

    /// A fresh transaction: every live child takes part until it leaves.
    mutating func startTransaction() {
        message = MessageState()
        for index in children.indices {
            children[index].inMessage = children[index].isAlive
            children[index].acceptedRecipients = 0
            children[index].sawRestrictedRecipient = false
            children[index].recipientStatus = .notChange
            for code in Self.messageStages { children[index].conditionMacros[code] = nil }
        }
    }

    static let messageStages: [MilterCommandCode] = [
        .mail, .recipient, .data, .header, .endOfHeader, .body, .endOfMessage,
    ]

    /// Runs the child's conditions for a broadcast command; true when the child was stopped
    /// (and the stop already compiled).
    mutating func applyBroadcastConditions(_ index: Int, _ command: MilterCommand) -> Bool {
        guard !children[index].definition.conditions.isEmpty else { return false }
        let context = conditionContext(for: index, upTo: command.code)
        var stop = false
        for condition in children[index].definition.conditions {
            let outcome: ConditionOutcome
            switch command {
            case .connect(let host, let address):
                outcome = condition.atConnect(host: host, address: address, context: context)
            case .mail(let sender, _): outcome = condition.atEnvelopeFrom(sender: sender, context: context)
            case .recipient(let recipient, _): outcome = condition.atEnvelopeRecipient(recipient, context: context)
            case .data: outcome = condition.atData(context: context)
            case .helo, .unknown, .negotiate, .macro, .header, .endOfHeader, .body, .endOfMessage, .abort, .quit,
                .quitNewConnection:
                outcome = ConditionOutcome()
            }
            addConditionMacros(outcome.macros, to: index, stage: command.code)
            if outcome.restrictedRecipient { children[index].sawRestrictedRecipient = true }
            if outcome.stop {
                if settings.detailedLogging {
                    log(
                        .info,
                        "[\(tag)] [children][stop][\(command.code.stageName)] [\(children[index].tag)] \(condition.name): \(children[index].definition.name)"
                    )
                }
                stop = true
                break
            }
        }
        guard stop else { return false }
        switch command.code {
        case .connect, .helo:
            compile(.accept)
            actions.append(.sendToChild(index, [.abort], timer: nil))
            quitChild(index, status: .stop)
        case .mail:
            compile(.continue)
            children[index].inMessage = false
            children[index].status = .stop
        case .recipient:
            compile(.continue)
        case .data:
            compile(.accept)
            leaveMessage(index, status: .stop, sendAbort: true)
        case .unknown, .negotiate, .macro, .header, .endOfHeader, .body, .endOfMessage, .abort, .quit,
            .quitNewConnection:
            compile(.continue)
        }
        return true
    }

    mutating func compile(_ status: MilterStatus) {
        guard let current = broadcast?.combined else { return }
        broadcast?.combined = current.combined(with: status)
    }

    /// A reply from a child for the broadcast command.
    mutating func broadcastReply(_ index: Int, _ reply: MilterReply) {
        guard let code = children[index].awaiting, broadcast != nil else { return }
        let evaluation = children[index].definition.evaluationMode
        let real: MilterStatus
        switch reply {
        case .continue: real = .continue
        case .accept: real = .accept
        case .reject: real = .reject
        case .temporaryFailure: real = .temporaryFailure
        case .replyCode(let smtp): real = smtp.isPermanent ? .reject : .temporaryFailure
        case .discard:
            guard code != .connect && code != .helo else {
                failChild(index, reason: "[invalid-state][discard][\(code.stageName)] discard is not allowed here")
                return
            }
            real = .discard
        case .connectionFailure, .shutdown:
            failChild(
                index, reason: "[\(reply.code == .shutdown ? "shutdown" : "connection-failure")] the milter gave up")
            return
        case .negotiate, .skip, .progress, .quarantine, .setSymbolList, .modification:
            failChild(
                index, reason: "[state][invalid][\(code.stageName)] \(reply.code.character) should not be sent here")
            return
        }
        stopWaiting(index)
        actions.append(.cancelChildTimer(index))
        if real != .continue { children[index].status = real }
        if case .replyCode(let smtp) = reply, !evaluation { broadcast?.replyCode = smtp }
        compile(evaluation && real.isRefusal ? .accept : real)
        switch (code, real) {
        case (_, .continue):
            if code == .recipient { children[index].acceptedRecipients += 1 }
        case (.connect, _), (.helo, _):
            quitChild(index, status: real)
        case (.recipient, .accept):
            leaveMessage(index, status: .accept, sendAbort: false)
        case (.recipient, _):
            children[index].recipientStatus = real
        case (.mail, _), (.data, _):
            leaveMessage(index, status: real, sendAbort: false)
        default:
            break
        }
        broadcast?.pending -= 1
        if broadcast?.pending == 0 { finishBroadcast() }
    }

    /// A child broke while it owed a broadcast reply: its fallback counts.
    mutating func broadcastChildFailed(_ index: Int, fallback: MilterStatus) {
        guard broadcast != nil else { return }
        compile(fallback)
        broadcast?.pending -= 1
        if broadcast?.pending == 0 { finishBroadcast() }
    }

    /// Every child answered: one combined answer to the MTA.
    mutating func finishBroadcast() {
        guard let done = broadcast else { return }
        broadcast = nil
        phase = .idle
        let code = done.command.code
        let status = done.combined == .notChange ? MilterStatus.continue : done.combined
        if let held = done.heldCommand {
            if status == .continue {
                messageCommand(held)
                drainQueue()
                return
            }
        }
        replyToMTA([Self.finalReply(status, replyCode: done.replyCode)], status: status)
        if (status.isRefusal && code != .recipient) || status == .discard {
            abortMessage(reason: "\(code.stageName) was refused")
        }
        drainQueue()
    }

    /// Takes a child out of the current message; ABORT when it was given any of it.
    mutating func leaveMessage(_ index: Int, status: MilterStatus, sendAbort: Bool) {
        guard children[index].inMessage else { return }
        children[index].inMessage = false
        if status != .notChange && status != .continue { children[index].status = status }
        if sendAbort && children[index].isAlive {
            actions.append(.sendToChild(index, [.abort], timer: nil))
        }
    }

    /// ABORT to every child in the message, and forget the message.
    mutating func abortMessage(reason: String) {
        for index in children.indices where children[index].inMessage && children[index].isAlive {
            if children[index].lastState == .recipient && children[index].recipientStatus != .notChange {
                children[index].status = children[index].recipientStatus
            }
            leaveMessage(index, status: .notChange, sendAbort: true)
        }
        for index in children.indices { children[index].inMessage = false }
        message = MessageState()
        for code in Self.messageStages { mtaMacros[code] = nil }
        if settings.detailedLogging {
            log(.debug, "[\(tag)] [children][abort] \(reason)")
        }
    }
}
