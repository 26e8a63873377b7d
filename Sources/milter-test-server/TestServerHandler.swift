#if canImport(Glibc)
    import Glibc
#endif
import MilterProtocol
import MilterSupport
import NIOCore

/// Carries out a `TestServerSession`'s actions on a channel: decodes replies, writes, runs the
/// reply/write/session timers (one scheduled task, moved lazily), keeps TCP_QUICKACK set while
/// end-of-message replies arrive, closes. It is the only handler in the pipeline and allocates nothing per step beyond
/// the write buffer, so the load driver stays cheap.
final class TestServerHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var session: TestServerSession
    private let timeouts: TimeoutSettings
    private let sessionDeadline: NIODeadline?
    private let quickAck: Bool
    private let report: (SessionOutcome, NIODeadline?) -> Void
    private let log: PacketLog?
    private var done = false
    private var activeAt: NIODeadline?
    private var decoder = MilterReplyDecoder()
    private var pending: ByteBuffer?

    private var replyTimer: TestServerSession.ReplyTimer = .reading
    private var replyDeadline: NIODeadline?
    private var writeDeadline: NIODeadline?
    private var timer: Scheduled<Void>?
    private var timerFiresAt: NIODeadline?

    /// The socket option that makes Linux acknowledge at once (it clears itself, so it is set
    /// again after every read while it matters); without it a milter's second small write
    /// (libmilter: `h`, then `a`) waits for our delayed ACK (40 ms on loopback, testbench.md §6.4).
    /// Nil where the platform does not have TCP_QUICKACK.
    static let quickAckOption = ChannelOptions.Types.SocketOption(.quickAck)

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

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    private func start(context: ChannelHandlerContext) {
        guard activeAt == nil else { return }
        activeAt = context.eventLoop.now
        perform(session.start(), context: context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !done else { return }
        var bytes = unwrapInboundIn(data)
        if pending != nil {
            pending!.writeBuffer(&bytes)
        } else {
            pending = bytes
        }
        while !done, pending != nil {
            let reply: MilterReply?
            do {
                reply = try decoder.decode(buffer: &pending!)
            } catch {
                pending = nil
                perform(
                    session.failed(.malformedReply(stage: session.stageName, detail: error.description)),
                    context: context)
                return
            }
            guard let reply else { break }
            log?.received(reply)
            perform(session.received(reply), context: context)
        }
        if pending?.readableBytes == 0 { pending = nil }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        // The writing timeout runs while writes are held back (more than the high-water mark
        // of bytes not yet taken by the kernel).
        if context.channel.isWritable {
            writeDeadline = nil
        } else if writeDeadline == nil {
            writeDeadline = context.eventLoop.now + Self.amount(timeouts.writing)
            armTimer(context: context)
        }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        let stage = session.stageName
        let failure: TestServerError
        if let io = error as? IOError, io.errnoCode == ECONNRESET || io.errnoCode == EPIPE {
            failure = .closedByMilter(stage: stage)  // closed with our command still unread
        } else if let io = error as? IOError {
            failure = .io(stage: stage, detail: Self.errnoText(io.errnoCode))
        } else {
            failure = .io(stage: stage, detail: "\(error)")
        }
        perform(session.failed(failure), context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !done, var rest = pending, rest.readableBytes > 0 {
            do {
                _ = try decoder.decodeLast(buffer: &rest, seenEOF: true)
            } catch {
                perform(
                    session.failed(.malformedReply(stage: session.stageName, detail: error.description)),
                    context: context)
            }
        }
        perform(session.connectionClosed(), context: context)
        cancelTimer()
        context.fireChannelInactive()
    }

    // MARK: - Actions

    private func perform(_ actions: TestServerSession.Actions, context: ChannelHandlerContext) {
        if let buffer = actions.write, context.channel.isActive {
            log?.sent(buffer)
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        }
        if quickAck && session.state == .endOfMessage {
            // Only at end-of-message does a milter send several packets without waiting for us
            // (modifications, then the final reply); elsewhere our next command carries the ACK.
            if let option = Self.quickAckOption { try? context.channel.syncOptions?.setOption(option, value: 1) }
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
            pending = nil
            log?.finished(outcome)
            cancelTimer()
            report(outcome, activeAt)
            context.close(promise: nil)
            return
        }
        if !done { armTimer(context: context) }
    }

    // MARK: - Timers

    private func armTimer(context: ChannelHandlerContext) {
        guard let next = Self.earlier(Self.earlier(sessionDeadline, replyDeadline), writeDeadline) else { return }
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
            let error = TestServerError.writingTimeout(stage: session.stageName, seconds: timeouts.writing)
            perform(session.failed(error), context: context)
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

    private static func earlier(_ first: NIODeadline?, _ second: NIODeadline?) -> NIODeadline? {
        guard let first else { return second }
        guard let second else { return first }
        return min(first, second)
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
