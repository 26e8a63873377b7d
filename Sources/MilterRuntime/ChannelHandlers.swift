import MilterProtocol
import MilterSupport
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// The MTA's connection: commands in, session driver out.
final class MTAChannelHandler: ChannelInboundHandler {
    typealias InboundIn = MilterCommand

    private let isSelfConnection: (Channel) -> Bool
    private let makeDriver: (Channel) -> SessionDriver
    private var driver: SessionDriver?
    private var checked = false

    /// `isSelfConnection` is asked once, at the first command: by then a connection the manager
    /// made to itself has been registered as one of its child connections.
    init(isSelfConnection: @escaping (Channel) -> Bool, makeDriver: @escaping (Channel) -> SessionDriver) {
        self.isSelfConnection = isSelfConnection
        self.makeDriver = makeDriver
    }

    func channelActive(context: ChannelHandlerContext) {
        driver = makeDriver(context.channel)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if !checked {
            checked = true
            if isSelfConnection(context.channel) {
                driver?.mtaClosed()
                driver = nil
                context.close(promise: nil)
                return
            }
        }
        driver?.mtaCommand(unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        driver?.mtaClosed()
        driver = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        driver?.mtaError(error)
        context.close(promise: nil)
    }
}

/// A child's connection: replies in, to the session driver.
final class ChildChannelHandler: ChannelInboundHandler {
    typealias InboundIn = MilterReply

    private let driver: SessionDriver
    private let index: Int
    private let quickAck: Bool
    private var closed = false

    init(driver: SessionDriver, index: Int, quickAck: Bool) {
        self.driver = driver
        self.index = index
        self.quickAck = quickAck
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        driver.childReply(index, unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // Linux clears TCP_QUICKACK after a while; set it again so that our next command is
        // acknowledged at once and the child's reply is never held back by delayed ACK.
        if quickAck { Self.setQuickAck(context.channel) }
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        guard !closed else { return }
        closed = true
        driver.childClosed(index)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        guard !closed else { return }
        closed = true
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
