import MilterProtocol
import NIOCore

/// The MTA side of one milter session as an IO-free state machine (runtime.md §4.2): negotiate,
/// connect, helo, then per message mail, rcpt..., unknown, data, headers, end-of-header, body
/// chunks, end-of-message, and quit. Stages the milter negotiated away are skipped; after a
/// command whose reply the milter negotiated away the next command follows in the same write.
/// Each `D` packet travels in the same write as its command.
struct TestServerSession {
    /// What is sent.
    let plan: SessionPlan
    private let allocator: ByteBufferAllocator
    private let queueIDs: QueueIDGenerator
    private let firstMessageNumber: UInt64

    /// Where the session is.
    private(set) var state: State = .idle
    /// The milter's negotiation answer combined with the offer.
    private(set) var negotiated: Negotiation?
    private var messageIndex = 0
    private var refusedRecipients = 0
    private var skipBody = false
    private var quarantineReason: MilterString?
    private var message: MessageCopy?
    private var queueID: MilterString

    /// A session; message `n` of it uses queue id `queueIDs.id(firstMessageNumber + n)`.
    init(
        plan: SessionPlan, allocator: ByteBufferAllocator = ByteBufferAllocator(),
        queueIDs: QueueIDGenerator = QueueIDGenerator(seed: 0), firstMessageNumber: UInt64 = 0
    ) {
        self.plan = plan
        self.allocator = allocator
        self.queueIDs = queueIDs
        self.firstMessageNumber = firstMessageNumber
        self.message = plan.recordsMessage ? MessageCopy(plan.message) : nil
        self.queueID = queueIDs.id(firstMessageNumber)
    }

    /// The stage whose reply is awaited, for messages.
    var stageName: String {
        switch state {
        case .idle: return "negotiate"
        case .awaiting(let step): return step.name
        case .endOfMessage: return "end-of-message"
        case .finished: return "quit"
        }
    }

    /// The connection is up: send the negotiation offer.
    mutating func start() -> Actions {
        guard case .idle = state else { return Actions() }
        var buffer = allocator.buffer(capacity: 32)
        MilterCommand.negotiate(plan.offer).encode(into: &buffer)
        state = .awaiting(.negotiate)
        return Actions(write: buffer, timer: .start(.reading))
    }

    /// A reply arrived.
    mutating func received(_ reply: MilterReply) -> Actions {
        switch state {
        case .idle, .finished:
            return fail(.unexpectedReply(reply: TestServerError.describe(reply), stage: stageName), politely: false)
        case .awaiting(.negotiate):
            guard case .negotiate(let answer) = reply else {
                return fail(
                    .unexpectedReply(reply: TestServerError.describe(reply), stage: "negotiate"), politely: true)
            }
            do {
                negotiated = try NegotiationRules.childSession(offered: plan.offer, reply: answer)
            } catch {
                return fail(.negotiationFailed(error.description), politely: true)
            }
            var buffer = allocator.buffer(capacity: 256)
            return send(from: .connect, into: &buffer)
        case .awaiting(let step):
            return receivedAtStep(reply, step: step)
        case .endOfMessage:
            return receivedAtEndOfMessage(reply)
        }
    }

    /// The connection broke, a reply could not be decoded, or a timeout fired. Timeouts end with
    /// `A` and `Q` (the milter may still be listening); other failures just close.
    mutating func failed(_ error: TestServerError) -> Actions {
        guard state != .finished else { return Actions() }
        switch error {
        case .readingTimeout, .endOfMessageTimeout, .sessionTimeout:
            return fail(error, politely: true)
        case .connectFailed, .connectionTimeout, .writingTimeout, .closedByMilter, .malformedReply,
            .unexpectedReply, .negotiationFailed, .io:
            return fail(error, politely: false)
        }
    }

    /// The milter closed the connection.
    mutating func connectionClosed() -> Actions {
        guard state != .finished else { return Actions() }
        return fail(.closedByMilter(stage: stageName), politely: false)
    }

    // MARK: - Replies

    private mutating func receivedAtStep(_ reply: MilterReply, step: Step) -> Actions {
        switch reply {
        case .continue:
            var buffer = allocator.buffer(capacity: 256)
            return send(from: next(after: step), into: &buffer)
        case .accept: return endMessage(step: step, status: .accept, reply: nil)
        case .reject: return refuse(step: step, status: .reject, reply: nil)
        case .temporaryFailure: return refuse(step: step, status: .temporaryFailure, reply: nil)
        case .replyCode(let smtp):
            return refuse(step: step, status: smtp.isPermanent ? .reject : .temporaryFailure, reply: smtp)
        case .discard: return endMessage(step: step, status: .discard, reply: nil)
        case .connectionFailure: return endMessage(step: step, status: .error, reply: nil)
        case .shutdown: return endMessage(step: step, status: .abort, reply: nil)
        case .skip:
            guard case .body = step else { break }
            skipBody = true
            var buffer = allocator.buffer(capacity: 64)
            return send(from: next(after: step), into: &buffer)
        case .progress, .quarantine, .modification, .negotiate, .setSymbolList:
            break
        }
        return fail(.unexpectedReply(reply: TestServerError.describe(reply), stage: step.name), politely: true)
    }

    private mutating func receivedAtEndOfMessage(_ reply: MilterReply) -> Actions {
        switch reply {
        case .modification(let modification):
            message?.apply(modification)
            return Actions()
        case .quarantine(let reason):
            quarantineReason = reason
            return Actions()
        case .progress:
            return Actions(timer: .start(.endOfMessage))
        case .continue:
            return endMessage(step: .endOfMessage, status: quarantineReason == nil ? .pass : .quarantine, reply: nil)
        case .accept:
            return endMessage(step: .endOfMessage, status: quarantineReason == nil ? .accept : .quarantine, reply: nil)
        case .reject: return endMessage(step: .endOfMessage, status: .reject, reply: nil)
        case .temporaryFailure: return endMessage(step: .endOfMessage, status: .temporaryFailure, reply: nil)
        case .replyCode(let smtp):
            return endMessage(step: .endOfMessage, status: smtp.isPermanent ? .reject : .temporaryFailure, reply: smtp)
        case .discard: return endMessage(step: .endOfMessage, status: .discard, reply: nil)
        case .connectionFailure: return endMessage(step: .endOfMessage, status: .error, reply: nil)
        case .shutdown: return endMessage(step: .endOfMessage, status: .abort, reply: nil)
        case .skip, .negotiate, .setSymbolList:
            return fail(
                .unexpectedReply(reply: TestServerError.describe(reply), stage: "end-of-message"), politely: true)
        }
    }

    /// A refusal: at RCPT it drops that recipient and the message goes on while any is left.
    private mutating func refuse(step: Step, status: SessionStatus, reply: SMTPReply?) -> Actions {
        if case .recipient(let index) = step {
            message?.refuse(recipient: plan.message.recipients[index])
            refusedRecipients += 1
            if refusedRecipients < plan.message.recipients.count {
                var buffer = allocator.buffer(capacity: 256)
                return send(from: next(after: step), into: &buffer)
            }
        }
        return endMessage(step: step, status: status, reply: reply)
    }

    /// The message (or, before MAIL, the connection) has its result. The next message follows
    /// when the session carries more; else `Q` (after `A` unless the message simply passed).
    private mutating func endMessage(step: Step, status: SessionStatus, reply: SMTPReply?) -> Actions {
        let outcome = SessionOutcome(
            status: status, reply: reply, quarantineReason: quarantineReason, message: message, failure: nil)
        var buffer = allocator.buffer(capacity: 256)
        let passed = step == .endOfMessage && (status == .pass || status == .quarantine)
        if !passed { MilterCommand.abort.encode(into: &buffer) }
        if step.isMessageStage && messageIndex + 1 < plan.messagesPerSession {
            messageIndex += 1
            queueID = queueIDs.id(firstMessageNumber &+ UInt64(messageIndex))
            refusedRecipients = 0
            skipBody = false
            quarantineReason = nil
            if plan.recordsMessage { message = MessageCopy(plan.message) }
            return send(from: .mail, into: &buffer)
        }
        MilterCommand.quit.encode(into: &buffer)
        state = .finished
        return Actions(write: buffer, timer: .stop, outcome: outcome)
    }

    private mutating func fail(_ error: TestServerError, politely: Bool) -> Actions {
        state = .finished
        var actions = Actions(timer: .stop, outcome: .failed(error))
        if politely {
            var buffer = allocator.buffer(capacity: 10)
            MilterCommand.abort.encode(into: &buffer)
            MilterCommand.quit.encode(into: &buffer)
            actions.write = buffer
        }
        return actions
    }

    // MARK: - Sending

    /// Encodes `step` and every following step up to one whose reply must be awaited.
    private mutating func send(from first: Step, into buffer: inout ByteBuffer) -> Actions {
        var step = first
        while true {
            if shouldSend(step) {
                encode(step, into: &buffer)
                if step == .endOfMessage {
                    state = .endOfMessage
                    return Actions(write: buffer, timer: .start(.endOfMessage))
                }
                if expectsReply(step) {
                    state = .awaiting(step)
                    return Actions(write: buffer, timer: .start(.reading))
                }
            }
            step = next(after: step)
        }
    }

    private func next(after step: Step) -> Step {
        let template = plan.message
        switch step {
        case .negotiate: return .connect
        case .connect: return .helo
        case .helo: return .mail
        case .mail: return template.recipients.isEmpty ? .unknown : .recipient(0)
        case .recipient(let index): return index + 1 < template.recipients.count ? .recipient(index + 1) : .unknown
        case .unknown: return .data
        case .data: return template.headers.headers.isEmpty ? .endOfHeader : .header(0)
        case .header(let index): return index + 1 < template.headers.headers.count ? .header(index + 1) : .endOfHeader
        case .endOfHeader: return template.bodyChunks.isEmpty ? .endOfMessage : .body(0)
        case .body(let index): return index + 1 < template.bodyChunks.count ? .body(index + 1) : .endOfMessage
        case .endOfMessage: return .endOfMessage
        }
    }

    private func shouldSend(_ step: Step) -> Bool {
        let steps = negotiated?.steps ?? []
        let version = negotiated?.version ?? plan.version
        switch step {
        case .negotiate: return false
        case .connect: return !steps.contains(.noConnect)
        case .helo: return !steps.contains(.noHelo)
        case .mail: return !steps.contains(.noMail)
        case .recipient: return !steps.contains(.noRecipient)
        case .unknown: return plan.unknownCommand != nil && version >= 3 && !steps.contains(.noUnknown)
        case .data: return version >= 4 && !steps.contains(.noData)
        case .header: return !steps.contains(.noHeaders)
        case .endOfHeader: return !steps.contains(.noEndOfHeader)
        case .body: return !skipBody && !steps.contains(.noBody)
        case .endOfMessage: return true
        }
    }

    private func expectsReply(_ step: Step) -> Bool {
        let steps = negotiated?.steps ?? []
        switch step {
        case .negotiate, .endOfMessage: return true
        case .connect: return !steps.contains(.noReplyConnect)
        case .helo: return !steps.contains(.noReplyHelo)
        case .mail: return !steps.contains(.noReplyMail)
        case .recipient: return !steps.contains(.noReplyRecipient)
        case .unknown: return !steps.contains(.noReplyUnknown)
        case .data: return !steps.contains(.noReplyData)
        case .header: return !steps.contains(.noReplyHeader)
        case .endOfHeader: return !steps.contains(.noReplyEndOfHeader)
        case .body: return !steps.contains(.noReplyBody)
        }
    }

    private func encode(_ step: Step, into buffer: inout ByteBuffer) {
        let template = plan.message
        switch step {
        case .negotiate:
            MilterCommand.negotiate(plan.offer).encode(into: &buffer)
        case .connect:
            encodeMacros(.connect, recipient: nil, into: &buffer)
            MilterCommand.connect(hostname: plan.connectHost, address: plan.connectAddress).encode(into: &buffer)
        case .helo:
            encodeMacros(.helo, recipient: nil, into: &buffer)
            MilterCommand.helo(plan.heloFQDN).encode(into: &buffer)
        case .mail:
            encodeMacros(.envelopeFrom, recipient: nil, into: &buffer)
            MilterCommand.mail(sender: template.envelopeFrom, arguments: []).encode(into: &buffer)
        case .recipient(let index):
            let recipient = template.recipients[index]
            encodeMacros(.envelopeRecipient, recipient: recipient, into: &buffer)
            MilterCommand.recipient(recipient, arguments: []).encode(into: &buffer)
        case .unknown:
            MilterCommand.unknown(plan.unknownCommand ?? .empty).encode(into: &buffer)
        case .data:
            encodeMacros(.data, recipient: nil, into: &buffer)
            MilterCommand.data.encode(into: &buffer)
        case .header(let index):
            let header = template.headers.headers[index]
            var value = header.value
            if negotiated?.steps.contains(.headerValueWithLeadingSpace) == true,
                value.bytes.first != UInt8(ascii: " "), value.bytes.first != UInt8(ascii: "\t")
            {
                value.bytes.insert(UInt8(ascii: " "), at: 0)
            }
            MilterCommand.header(name: header.name, value: value).encode(into: &buffer)
        case .endOfHeader:
            encodeMacros(.endOfHeader, recipient: nil, into: &buffer)
            MilterCommand.endOfHeader.encode(into: &buffer)
        case .body(let index):
            MilterCommand.body(template.bodyChunks[index]).encode(into: &buffer)
        case .endOfMessage:
            encodeMacros(.endOfMessage, recipient: nil, into: &buffer)
            MilterCommand.endOfMessage(ByteBuffer()).encode(into: &buffer)
        }
    }

    private func encodeMacros(_ stage: MacroStage, recipient: MilterString?, into buffer: inout ByteBuffer) {
        guard let requested = negotiated?.requestedSymbols(for: stage) else {
            plan.macros.writeDefaultPacket(for: stage, queueID: queueID, recipient: recipient, into: &buffer)
            return
        }
        let macros = plan.macros.macros(for: stage, requested: requested, queueID: queueID, recipient: recipient)
        guard !macros.isEmpty else { return }
        MilterCommand.macro(stage: stage.commandCode, macros: macros).encode(into: &buffer)
    }
}
