import Logging
import MilterControl
import NIOCore

/// One control connection: splits the bytes into request lines (bounded), runs each request
/// through the server's handler, one at a time and in order, and writes each reply as a line.
final class ControlChannelHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let limits: ControlServer.Limits
    private let logger: Logger?
    private let handler: ControlServer.Handler?
    /// Set for a connection refused at once (too many): the reply written before closing.
    private let refusal: String?
    private var pending: [UInt8] = []
    private var busy = false
    private var inputClosed = false
    private var closing = false
    private var timer: Scheduled<Void>?

    init(limits: ControlServer.Limits, logger: Logger, handler: @escaping ControlServer.Handler) {
        self.limits = limits
        self.logger = logger
        self.handler = handler
        refusal = nil
    }

    init(refusing reason: String) {
        limits = ControlServer.Limits()
        logger = nil
        handler = nil
        refusal = reason
    }

    func channelActive(context: ChannelHandlerContext) {
        if let refusal {
            reply(.failure(refusal), context: context)
            close(context: context)
            return
        }
        armTimer(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        closing = true
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing, refusal == nil else { return }
        var buffer = unwrapInboundIn(data)
        if let bytes = buffer.readBytes(length: buffer.readableBytes) { pending += bytes }
        // Requests sent ahead while one runs wait here, within bounds.
        if pending.count > limits.maximumRequestLength * 4 {
            fail("too much data sent ahead of the replies", context: context)
            return
        }
        processNext(context: context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event {
            inputClosed = true
            if !busy { processNext(context: context) }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        close(context: context)
    }

    private func processNext(context: ChannelHandlerContext) {
        guard !busy, !closing else { return }
        guard let newline = pending.firstIndex(of: UInt8(ascii: "\n")) else {
            if pending.count > limits.maximumRequestLength {
                fail("request longer than \(limits.maximumRequestLength) bytes", context: context)
            } else if inputClosed {
                if !pending.isEmpty {
                    fail("the request has no newline at its end", context: context)
                } else {
                    close(context: context)
                }
            }
            return
        }
        var line = Array(pending[..<newline])
        pending.removeSubrange(...newline)
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        guard line.count <= limits.maximumRequestLength else {
            fail("request longer than \(limits.maximumRequestLength) bytes", context: context)
            return
        }
        let request: ControlRequest
        do {
            request = try ControlRequest(line: line)
        } catch {
            switch error {
            case .malformed:
                fail(error.description, context: context)
            case .unknownCommand:
                reply(.failure(error.description), context: context)
                processNext(context: context)
            }
            return
        }
        guard let handler else { return }
        busy = true
        timer?.cancel()
        timer = nil
        logger?.info("[control][request] \(request.command.rawValue)")
        let promise = context.eventLoop.makePromise(of: ControlReply.self)
        promise.completeWithTask { await handler(request) }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        promise.futureResult.whenSuccess { reply in
            let (handler, context) = bound.value
            handler.busy = false
            guard !handler.closing else { return }
            handler.reply(reply, context: context)
            handler.armTimer(context: context)
            handler.processNext(context: context)
        }
    }

    private func reply(_ reply: ControlReply, context: ChannelHandlerContext) {
        let line = reply.line + "\n"
        var buffer = context.channel.allocator.buffer(capacity: line.utf8.count)
        buffer.writeString(line)
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }

    private func fail(_ reason: String, context: ChannelHandlerContext) {
        logger?.warning("[control][error] \(reason); closing the connection")
        pending = []
        reply(.failure(reason), context: context)
        close(context: context)
    }

    /// Closes once what was written is flushed.
    private func close(context: ChannelHandlerContext) {
        guard !closing else { return }
        closing = true
        timer?.cancel()
        timer = nil
        let channel = context.channel
        let promise = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(channel.allocator.buffer(capacity: 0)), promise: promise)
        promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
    }

    private func armTimer(context: ChannelHandlerContext) {
        timer?.cancel()
        let channel = context.channel
        let logger = self.logger
        let seconds = limits.requestTimeout
        timer = context.eventLoop.scheduleTask(in: .saturating(seconds: seconds)) {
            logger?.info("[control][timeout] no complete request within \(seconds) seconds; closing the connection")
            channel.close(promise: nil)
        }
    }
}
