#if canImport(Glibc)
    import Glibc
#endif
import MilterProtocol
import MilterSupport
import NIOCore

/// Carries out a `TestClientSession`'s actions on one accepted connection: prints the event
/// lines (one write per event, so lines of concurrent connections do not tear), writes the
/// replies in one write, closes when told.
final class TestClientHandler: ChannelInboundHandler {
    typealias InboundIn = MilterCommand
    typealias OutboundOut = ByteBuffer

    private var session: TestClientSession
    private let log: ClientLog

    /// A handler answering as `behavior` says.
    init(behavior: ClientBehavior, log: ClientLog) {
        self.session = TestClientSession(behavior: behavior)
        self.log = log
    }

    func channelActive(context: ChannelHandlerContext) {
        log.verbose("connection from \(context.remoteAddress.map { "\($0)" } ?? "unix socket")")
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        perform(session.received(unwrapInboundIn(data)), context: context)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        let message: String
        if let parse = error as? MilterParseError {
            message = parse.description
        } else if let io = error as? IOError {
            message = String(cString: strerror(io.errnoCode))
        } else {
            message = "\(error)"
        }
        perform(session.failed(message), context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        perform(session.connectionClosed(), context: context)
        log.verbose("connection closed")
        context.fireChannelInactive()
    }

    private func perform(_ actions: TestClientSession.Actions, context: ChannelHandlerContext) {
        if !actions.output.isEmpty { StandardStream.output.write(actions.output) }
        if !actions.replies.isEmpty && context.channel.isActive {
            var buffer = context.channel.allocator.buffer(capacity: 64)
            for reply in actions.replies {
                reply.encode(into: &buffer)
                log.verbose("reply: \(reply.code.character)")
            }
            context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
        }
        if actions.close && context.channel.isActive { context.close(promise: nil) }
    }
}
