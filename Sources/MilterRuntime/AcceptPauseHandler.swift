import NIOCore

/// On the listening channel: when accept() fails for want of descriptors or memory (EMFILE,
/// ENFILE, ENOBUFS, ENOMEM) the listening socket stays readable, and NIO would try again at
/// once, forever, at 100 % CPU. This stops reading from it (autoRead off takes it out of the
/// event loop's interest set) for the pause `pauseFor` returns, then reads again.
final class AcceptPauseHandler: ChannelInboundHandler {
    typealias InboundIn = Channel

    private let pauseFor: (IOError) -> TimeAmount?
    private let resumed: () -> Void
    private var paused = false

    /// `pauseFor` says how long to pause for an accept error (nil: not a resource error);
    /// `resumed` is called when accepting starts again.
    init(pauseFor: @escaping (IOError) -> TimeAmount?, resumed: @escaping () -> Void) {
        self.pauseFor = pauseFor
        self.resumed = resumed
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        guard let ioError = error as? IOError, let pause = pauseFor(ioError) else {
            context.fireErrorCaught(error)
            return
        }
        guard !paused else { return }
        paused = true
        let channel = context.channel
        try? channel.syncOptions?.setOption(.autoRead, value: false)
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        context.eventLoop.scheduleTask(in: pause) {
            let handler = loopBound.value
            handler.paused = false
            try? channel.syncOptions?.setOption(.autoRead, value: true)
            handler.resumed()
        }
    }
}
