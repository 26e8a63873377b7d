#if canImport(Glibc)
    import Glibc
#endif
import MilterProtocol
import NIOCore

/// Carries out a `TestServerSession`'s actions on a channel: writes, the reply/write/session
/// timers (one scheduled task, moved lazily), TCP_QUICKACK after every read, closing.
final class TestServerHandler: ChannelInboundHandler {
    typealias InboundIn = MilterReply
    typealias OutboundOut = ByteBuffer

    private var session: TestServerSession
    private let timeouts: TimeoutSettings
    private let sessionDeadline: NIODeadline?
    private let quickAck: Bool
    private let report: (SessionOutcome, NIODeadline?) -> Void
    private let log: PacketLog?
    private var done = false
    private var activeAt: NIODeadline?

    private var replyTimer: TestServerSession.ReplyTimer = .reading
    private var replyDeadline: NIODeadline?
    private var writeDeadline: NIODeadline?
    private var writesInFlight = 0
    private var timer: Scheduled<Void>?
    private var timerFiresAt: NIODeadline?

    /// The socket option that makes Linux acknowledge at once (it clears itself, so it is set
    /// again after every read); without it a milter's second small write waits for our delayed
    /// ACK (40 ms on loopback, testbench.md §6.4).
    static let quickAckOption = ChannelOptions.tcpOption(NIOBSDSocket.Option(rawValue: 12))  // TCP_QUICKACK

    /// A handler; `report` is called once on the event loop with the outcome and the time the
    /// connection became active (nil when it never did).
    init(
        session: TestServerSession, timeouts: TimeoutSettings, sessionDeadline: NIODeadline?, quickAck: Bool,
        log: PacketLog? = nil, report: @escaping (SessionOutcome, NIODeadline?) -> Void
    ) {
        self.log = log
        self.session = session
        self.timeouts = timeouts
        self.sessionDeadline = sessionDeadline
        self.quickAck = quickAck
        self.report = report
    }

    func channelActive(context: ChannelHandlerContext) {
        activeAt = context.eventLoop.now
        if quickAck { try? context.channel.syncOptions?.setOption(Self.quickAckOption, value: 1) }
        perform(session.start(), context: context)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let reply = unwrapInboundIn(data)
        log?.received(reply)
        if quickAck && !done { try? context.channel.syncOptions?.setOption(Self.quickAckOption, value: 1) }
        perform(session.received(reply), context: context)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        let stage = session.stageName
        let failure: TestServerError
        if let parse = error as? MilterParseError {
            failure = .malformedReply(stage: stage, detail: parse.description)
        } else if let io = error as? IOError, io.errnoCode == ECONNRESET || io.errnoCode == EPIPE {
            failure = .closedByMilter(stage: stage)  // closed with our command still unread
        } else if let io = error as? IOError {
            failure = .io(stage: stage, detail: Self.errnoText(io.errnoCode))
        } else {
            failure = .io(stage: stage, detail: "\(error)")
        }
        perform(session.failed(failure), context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        perform(session.connectionClosed(), context: context)
        cancelTimer()
        context.fireChannelInactive()
    }

    // MARK: - Actions

    private func perform(_ actions: TestServerSession.Actions, context: ChannelHandlerContext) {
        var written: EventLoopFuture<Void>?
        if let buffer = actions.write, context.channel.isActive {
            let promise = context.eventLoop.makePromise(of: Void.self)
            writesInFlight += 1
            log?.sent(buffer)
            context.writeAndFlush(wrapOutboundOut(buffer), promise: promise)
            promise.futureResult.assumeIsolatedUnsafeUnchecked().whenComplete { [self] result in
                writesInFlight -= 1
                if writesInFlight == 0 { writeDeadline = nil }
                if case .failure(let error) = result, !done {
                    let detail = (error as? IOError).map { Self.errnoText($0.errnoCode) } ?? "\(error)"
                    perform(session.failed(.io(stage: session.stageName, detail: detail)), context: context)
                }
            }
            if writesInFlight > 0 && writeDeadline == nil {
                writeDeadline = context.eventLoop.now + Self.amount(timeouts.writing)
            }
            written = promise.futureResult
        }
        switch actions.timer {
        case .keep: break
        case .start(let kind):
            replyTimer = kind
            replyDeadline = context.eventLoop.now + Self.amount(timeouts.seconds(kind))
        case .stop: replyDeadline = nil
        }
        if let outcome = actions.outcome, !done {
            done = true
            log?.finished(outcome)
            cancelTimer()
            report(outcome, activeAt)
            if let written {
                written.assumeIsolatedUnsafeUnchecked().whenComplete { _ in context.close(promise: nil) }
            } else {
                context.close(promise: nil)
            }
            return
        }
        if !done { armTimer(context: context) }
    }

    // MARK: - Timers

    private func armTimer(context: ChannelHandlerContext) {
        let deadlines = [replyDeadline, writeDeadline, sessionDeadline].compactMap { $0 }
        guard let next = deadlines.min() else { return }
        if let firesAt = timerFiresAt, firesAt <= next { return }  // it re-checks when it fires
        timer?.cancel()
        timerFiresAt = next
        timer = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(deadline: next) { [self] in
            timer = nil
            timerFiresAt = nil
            timerFired(context: context)
        }
    }

    private func timerFired(context: ChannelHandlerContext) {
        guard !done else { return }
        let now = context.eventLoop.now
        if let deadline = sessionDeadline, deadline <= now {
            perform(session.failed(.sessionTimeout(seconds: timeouts.session ?? 0)), context: context)
        } else if let deadline = writeDeadline, deadline <= now {
            perform(
                session.failed(.writingTimeout(stage: session.stageName, seconds: timeouts.writing)), context: context)
        } else if let deadline = replyDeadline, deadline <= now {
            switch replyTimer {
            case .reading:
                let error = TestServerError.readingTimeout(stage: session.stageName, seconds: timeouts.reading)
                perform(session.failed(error), context: context)
            case .endOfMessage:
                perform(session.failed(.endOfMessageTimeout(seconds: timeouts.endOfMessage)), context: context)
            }
        } else {
            armTimer(context: context)
        }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
        timerFiresAt = nil
    }

    /// Seconds as a NIO time amount (capped at about 292 years).
    static func amount(_ seconds: Double) -> TimeAmount {
        .nanoseconds(Int64(min(seconds, 9.2e9) * 1e9))
    }

    /// `strerror` text of an errno value.
    static func errnoText(_ code: CInt) -> String {
        String(cString: strerror(code))
    }
}
