import MilterProtocol
import NIOCore

/// Message stages (header, end-of-header, body, end-of-message): children one after the
/// other in definition order, each seeing the message as the earlier ones left it
/// (runtime.md §2.1, §2.3, §2.5).
extension SessionCoordinator {
    mutating func messageCommand(_ command: MilterCommand) {
        if !message.sawData && !message.started {
            message.sawData = true
            // The MTA sent no DATA (protocol < 4): children that speak 4+ still get one.
            let wantsData = children.contains {
                $0.isAlive && $0.inMessage && $0.acceptedRecipients > 0 && !$0.skipsEvent(.data)
            }
            if wantsData {
                startBroadcast(.data, holding: command)
                return
            }
        }
        if !message.started { startMessage() }
        if message.finishedEarly {
            let status = message.combined == .notChange ? MilterStatus.accept : message.combined
            replyToMTA([status.reply], status: status)
            if command.code == .endOfMessage { endTransaction() }
            return
        }
        switch command {
        case .header(let name, let value): message.headers.append(name: name, value: value)
        case .endOfHeader: message.sawEndOfHeader = true
        case .body(let chunk): message.chunks.append(chunk)
        case .endOfMessage(let chunk):
            if chunk.readableBytes > 0 { message.chunks.append(chunk) }
            message.sawEndOfMessage = true
            message.originalHeaders = message.headers
        case .negotiate, .macro, .connect, .helo, .mail, .recipient, .data, .abort, .quit, .quitNewConnection, .unknown:
            return
        }
        message.mtaWaiting = true
        pump()
    }

    /// The first message command: the children that still take part form the queue.
    mutating func startMessage() {
        message.started = true
        for index in children.indices where children[index].isAlive && children[index].inMessage {
            if children[index].acceptedRecipients > 0 {
                message.queue.append(index)
            } else {
                leaveMessage(index, status: children[index].recipientStatus, sendAbort: true)
            }
        }
    }

    enum MessageItem {
        case header(Int)
        case endOfHeader
        case body(Int)
        case endOfMessage
    }

    func nextItem() -> MessageItem? {
        let cursor = message.cursor
        if cursor.nextHeader < message.headers.headers.count { return .header(cursor.nextHeader) }
        if message.sawEndOfHeader && !cursor.sentEndOfHeader { return .endOfHeader }
        if !cursor.skipBody && cursor.nextChunk < message.chunks.count { return .body(cursor.nextChunk) }
        if message.sawEndOfMessage && !cursor.sentEndOfMessage { return .endOfMessage }
        return nil
    }

    /// Feeds the head child until it owes a reply, catches up with the MTA, or the queue ends.
    mutating func pump() {
        while true {
            guard let head = message.queue.first else {
                finishMessage()
                return
            }
            guard children[head].isAlive, children[head].inMessage else {
                message.queue.removeFirst()
                message.cursor = MessageState.Cursor()
                continue
            }
            if children[head].awaiting != nil {
                phase = .message
                return
            }
            guard let item = nextItem() else {
                phase = .idle
                if message.mtaWaiting {
                    message.mtaWaiting = false
                    replyToMTA([.continue], status: .continue)
                }
                drainQueue()
                return
            }
            let command: MilterCommand
            switch item {
            case .header(let position):
                message.cursor.nextHeader += 1
                let header = message.headers.headers[position]
                command = .header(name: header.name, value: valueForChild(head, header.value))
            case .endOfHeader:
                message.cursor.sentEndOfHeader = true
                command = .endOfHeader
            case .body(let position):
                message.cursor.nextChunk += 1
                command = .body(message.chunks[position])
            case .endOfMessage:
                message.cursor.sentEndOfMessage = true
                command = .endOfMessage(ByteBuffer())
            }
            if children[head].skipsEvent(command.code) { continue }
            let expectReply = command.code == .endOfMessage || !children[head].skipsReply(command.code)
            send(head, command, expectReply: expectReply)
            if expectReply {
                phase = .message
                return
            }
        }
    }

    /// A reply from the head child.
    mutating func messageReply(_ index: Int, _ reply: MilterReply) {
        guard let code = children[index].awaiting, message.queue.first == index else { return }
        let evaluation = children[index].definition.evaluationMode
        switch reply {
        case .continue:
            stopWaitingForReply(index)
            if code == .endOfMessage {
                headFinished(index, status: .continue)
            } else {
                pump()
            }
        case .accept:
            stopWaitingForReply(index)
            children[index].status = .accept
            headFinished(index, status: .accept)
        case .skip:
            guard code == .body else {
                failChild(index, reason: "[state][invalid][\(code.stageName)] skip is only allowed for a body chunk")
                return
            }
            stopWaitingForReply(index)
            message.cursor.skipBody = true
            pump()
        case .reject, .temporaryFailure, .replyCode, .discard:
            var real = MilterStatus.discard
            var smtp: SMTPReply?
            switch reply {
            case .reject: real = .reject
            case .temporaryFailure: real = .temporaryFailure
            case .replyCode(let code):
                real = code.isPermanent ? .reject : .temporaryFailure
                smtp = code
            default: break
            }
            stopWaitingForReply(index)
            children[index].status = real
            if evaluation {
                headFinished(index, status: .accept)
            } else {
                children[index].inMessage = false
                refuseMessage(real, replyCode: smtp)
            }
        case .progress:
            guard code == .endOfMessage else {
                failChild(
                    index, reason: "[state][invalid][\(code.stageName)] progress is only allowed at end-of-message")
                return
            }
            actions.append(.sendToMTA([.progress]))
            actions.append(.restartChildTimer(index, .endOfMessage))
        case .quarantine(let reason):
            guard code == .endOfMessage else {
                failChild(
                    index, reason: "[state][invalid][\(code.stageName)] quarantine is only allowed at end-of-message")
                return
            }
            if !evaluation && isNegotiated(reply, from: index) { message.quarantineReason = reason }
        case .modification(let modification):
            guard code == .endOfMessage else {
                failChild(
                    index,
                    reason:
                        "[state][invalid][\(code.stageName)] \(modification.code.character) is only allowed at end-of-message"
                )
                return
            }
            applyModification(modification, from: index)
        case .connectionFailure, .shutdown:
            failChild(
                index, reason: "[\(reply.code == .shutdown ? "shutdown" : "connection-failure")] the milter gave up")
        case .negotiate, .setSymbolList:
            failChild(
                index, reason: "[state][invalid][\(code.stageName)] \(reply.code.character) should not be sent here")
        }
    }

    mutating func stopWaitingForReply(_ index: Int) {
        stopWaiting(index)
        actions.append(.cancelChildTimer(index))
    }

    /// The head child is done with the message: the next one gets the whole message.
    mutating func headFinished(_ index: Int, status: MilterStatus) {
        message.combined = message.combined.combined(with: status)
        if !message.cursor.sentEndOfMessage {
            // Left before the end: tell it the message is over for it.
            leaveMessage(index, status: status, sendAbort: true)
        } else {
            children[index].inMessage = false
        }
        if let replacement = children[index].replacementBody {
            children[index].replacementBody = nil
            if !children[index].definition.evaluationMode {
                message.chunks = Self.chunk(replacement, size: settings.chunkSize)
                message.bodyReplaced = true
            }
        }
        if message.queue.first == index { message.queue.removeFirst() }
        message.cursor = MessageState.Cursor()
        pump()
    }

    /// The head child broke: its fallback decides, like a reply would.
    mutating func messageChildFailed(_ index: Int, fallback: MilterStatus) {
        guard message.queue.first == index else { return }
        children[index].replacementBody = nil
        if fallback.isRefusal {
            refuseMessage(fallback, replyCode: nil)
        } else {
            message.combined = message.combined.combined(with: fallback)
            message.queue.removeFirst()
            message.cursor = MessageState.Cursor()
            pump()
        }
    }

    /// A child refused the message: the MTA gets the answer now; every child is aborted.
    mutating func refuseMessage(_ status: MilterStatus, replyCode: SMTPReply?) {
        replyToMTA([Self.finalReply(status, replyCode: replyCode)], status: status)
        message.mtaWaiting = false
        abortMessage(reason: "a milter refused the message (\(status.nick))")
        phase = .idle
        drainQueue()
    }

    /// The queue is empty: at end-of-message the final answer with every change; before it,
    /// every child left and the MTA gets the combined answer for its pending command.
    mutating func finishMessage() {
        phase = .idle
        if message.sawEndOfMessage {
            var replies = message.recipientChanges.map { MilterReply.modification($0) }
            if message.bodyReplaced {
                replies += message.chunks.map { .modification(.replaceBody($0)) }
            }
            if let original = message.originalHeaders {
                for change in message.headers.modifications(from: original) {
                    replies.append(.modification(change))
                    switch change {
                    case .addHeader(let name, let value), .insertHeader(_, let name, let value),
                        .changeHeader(_, let name, let value):
                        if !value.isEmpty {
                            log(.statistics, "[session][header][add](\(tag)): <\(name.string)>=<\(value.string)>")
                        }
                    case .changeFrom, .addRecipient, .deleteRecipient, .replaceBody:
                        break
                    }
                }
            }
            if let changeFrom = message.changeFrom { replies.append(.modification(changeFrom)) }
            if let reason = message.quarantineReason {
                replies.append(.quarantine(reason: reason))
                log(.statistics, "[reply][end-of-message][quarantine](\(tag))")
            }
            let status = message.combined == .notChange ? MilterStatus.accept : message.combined
            replies.append(status.reply)
            replyToMTA(replies, status: status)
            message.mtaWaiting = false
            endTransaction()
        } else {
            let status = message.combined == .notChange ? MilterStatus.accept : message.combined
            if message.mtaWaiting {
                message.mtaWaiting = false
                replyToMTA([status.reply], status: status)
            }
            message.finishedEarly = true
        }
        drainQueue()
    }

    /// After the final answer: children stay for the next message; the message is forgotten.
    mutating func endTransaction() {
        for index in children.indices { children[index].inMessage = false }
        message = MessageState()
        for code in Self.messageStages { mtaMacros[code] = nil }
    }

    /// Applies a child's end-of-message change to the working copy (not for evaluation-mode
    /// children; never what neither the child nor the MTA negotiated).
    mutating func applyModification(_ modification: MessageModification, from index: Int) {
        let child = children[index]
        switch modification {
        case .addHeader(let name, let value), .insertHeader(_, let name, let value),
            .changeHeader(_, let name, let value):
            if !value.isEmpty {
                log(
                    .statistics,
                    "[milter][header][add](\(child.tag)): <\(name.string)>=<\(value.string)>: \(child.definition.name)")
            }
        case .changeFrom, .addRecipient, .deleteRecipient, .replaceBody:
            break
        }
        guard !child.definition.evaluationMode, isNegotiated(.modification(modification), from: index) else { return }
        switch modification {
        case .addHeader(let name, let value):
            message.headers.add(name: name, value: valueFromChild(index, value))
        case .insertHeader(let position, let name, let value):
            message.headers.insert(at: position, name: name, value: valueFromChild(index, value))
        case .changeHeader(let position, let name, let value):
            message.headers.change(
                index: position, name: name, value: value.isEmpty ? value : valueFromChild(index, value))
        case .changeFrom:
            message.changeFrom = modification
        case .addRecipient, .deleteRecipient:
            message.recipientChanges.append(modification)
        case .replaceBody(let chunk):
            children[index].replacementBody = (children[index].replacementBody ?? []) + Array(chunk.readableBytesView)
        }
    }

    /// Whether the child negotiated the action `reply` needs and the MTA granted it to the
    /// manager; a reply that fails this is dropped with a warning (never sent to the MTA).
    mutating func isNegotiated(_ reply: MilterReply, from index: Int) -> Bool {
        guard let required = reply.requiredAction else { return true }
        let child = children[index]
        guard child.session.actions.contains(required), upward?.actions.contains(required) == true else {
            log(
                .warning,
                "[\(tag)] [leader][error][\(reply.code.character)] [\(child.tag)] not negotiated "
                    + "(\(required.nickDescription)); dropped: \(child.definition.name)")
            return false
        }
        return true
    }

    /// Leading-space normalisation: the MTA keeps the space after the colon, this child does not.
    func needsLeadingSpaceFix(_ index: Int) -> Bool {
        (upward?.steps.contains(.headerValueWithLeadingSpace) ?? false)
            && !children[index].session.steps.contains(.headerValueWithLeadingSpace)
    }

    func valueForChild(_ index: Int, _ value: MilterString) -> MilterString {
        guard needsLeadingSpaceFix(index), value.bytes.first == UInt8(ascii: " ") else { return value }
        return MilterString(bytes: value.bytes.dropFirst())
    }

    func valueFromChild(_ index: Int, _ value: MilterString) -> MilterString {
        guard needsLeadingSpaceFix(index), value.bytes.first != UInt8(ascii: " ") else { return value }
        return MilterString(bytes: [UInt8(ascii: " ")] + value.bytes)
    }

    /// Bytes as body packets of at most `size` bytes.
    static func chunk(_ bytes: [UInt8], size: Int) -> [ByteBuffer] {
        stride(from: 0, to: bytes.count, by: size).map { ByteBuffer(bytes: bytes[$0..<min($0 + size, bytes.count)]) }
    }
}
