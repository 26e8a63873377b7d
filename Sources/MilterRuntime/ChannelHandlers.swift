import MilterProtocol
import MilterSupport
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// The MTA's connection: bytes in, cut into commands here, session driver out.
final class MTAChannelHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let isSelfConnection: (Channel) -> Bool
    private let makeDriver: (Channel) -> SessionDriver
    private var driver: SessionDriver?
    private var checked = false
    private var frames: InboundFrames<MilterCommandDecoder>
    /// A decode error happened or the connection is being closed: nothing more is decoded.
    private var stopped = false

    /// `isSelfConnection` is asked once, at the first command: by then a connection the manager
    /// made to itself has been registered as one of its child connections.
    init(
        maximumFrameLength: Int, isSelfConnection: @escaping (Channel) -> Bool,
        makeDriver: @escaping (Channel) -> SessionDriver
    ) {
        self.frames = InboundFrames(MilterCommandDecoder(maximumLength: maximumFrameLength))
        self.isSelfConnection = isSelfConnection
        self.makeDriver = makeDriver
    }

    func channelActive(context: ChannelHandlerContext) {
        driver = makeDriver(context.channel)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !stopped else { return }
        frames.add(unwrapInboundIn(data))
        do {
            while !stopped, let command = try frames.next() { deliver(command, context) }
        } catch {
            fail(context, error)
        }
    }

    private func deliver(_ command: MilterCommand, _ context: ChannelHandlerContext) {
        if !checked {
            checked = true
            if isSelfConnection(context.channel) {
                stopped = true
                driver?.mtaClosed()
                driver = nil
                context.close(promise: nil)
                return
            }
        }
        driver?.mtaCommand(command)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { driver?.mtaWritable() }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !stopped {
            stopped = true
            do { try frames.finish() } catch { driver?.mtaError(error) }
        }
        driver?.mtaClosed()
        driver = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        fail(context, error)
    }

    /// A decode or I/O error: the driver is told, the connection closed.
    private func fail(_ context: ChannelHandlerContext, _ error: Error) {
        stopped = true
        frames.discard()
        driver?.mtaError(error)
        context.close(promise: nil)
    }
}

/// A child's connection: bytes in, cut into replies here, to the session driver.
final class ChildChannelHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let driver: SessionDriver
    private let index: Int
    private let quickAck: Bool
    private var frames: InboundFrames<MilterReplyDecoder>
    private var closed = false

    init(driver: SessionDriver, index: Int, quickAck: Bool, maximumFrameLength: Int) {
        self.driver = driver
        self.index = index
        self.quickAck = quickAck
        self.frames = InboundFrames(MilterReplyDecoder(maximumLength: maximumFrameLength))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closed else { return }
        frames.add(unwrapInboundIn(data))
        do {
            while !closed, let reply = try frames.next() { driver.childReply(index, reply) }
        } catch {
            fail(context, error)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Only at end-of-message does a milter send several packets without waiting for us
        // (modifications, then the final reply): Linux clears TCP_QUICKACK after a while, so it
        // is set again after each read then, and a packet held by the child's Nagle for our ACK
        // is never held for a delayed one. Elsewhere our next command carries the ACK.
        if quickAck && driver.owesEndOfMessageReply(index) { Self.setQuickAck(context.channel) }
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        guard !closed else { return }
        do {
            try frames.finish()
        } catch {
            fail(context, error)
            return
        }
        closed = true
        driver.childClosed(index)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        fail(context, error)
    }

    /// A decode or I/O error: the driver is told once, the connection closed.
    private func fail(_ context: ChannelHandlerContext, _ error: Error) {
        guard !closed else { return }
        closed = true
        frames.discard()
        driver.childError(index, error)
        context.close(promise: nil)
    }

    /// TCP_QUICKACK, nil where the platform does not have it.
    private static let quickAckOption = ChannelOptions.Types.SocketOption(.quickAck)

    /// Sets TCP_QUICKACK (Linux) on a TCP channel; nothing where it is not supported.
    static func setQuickAck(_ channel: Channel) {
        guard let option = quickAckOption else { return }
        try? channel.syncOptions?.setOption(option, value: 1)
    }
}
