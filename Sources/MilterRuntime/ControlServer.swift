import Logging
import MilterControl
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// The control socket (`controller.connection_spec`): `milter-manager-ctl` sends one JSON
/// request per line and reads one JSON reply per line (`ControlProtocol`). The socket is bound
/// like the main one (`ListeningSocket`: staged, mode and group set, only a stale socket
/// removed). Hostile or broken clients are bounded: a line longer than `maximumRequestLength`
/// or that is not a request is answered with an error and the connection closed, a client that
/// sends no complete request within `requestTimeout` seconds is disconnected, and at most
/// `maximumConnections` are served at once (more get an error line and are closed).
public final class ControlServer: Sendable {
    /// Carries out one request (on any thread); the reply is written back as one line.
    public typealias Handler = @Sendable (ControlRequest) async -> ControlReply

    /// The bounds on clients.
    public struct Limits: Hashable, Sendable {
        /// The longest request line.
        public var maximumRequestLength = ControlProtocol.maximumRequestLength
        /// Seconds a connection may wait without a complete request.
        public var requestTimeout = ControlProtocol.requestTimeoutSeconds
        /// Connections served at once.
        public var maximumConnections = ControlProtocol.maximumConnections

        /// The protocol's limits.
        public init() {}
    }

    private let group: EventLoopGroup
    /// Where it listens.
    public let settings: ListenSettings
    private let logger: Logger
    private let limits: Limits
    private let handler: Handler
    private let serverChannel = NIOLockedValueBox<Channel?>(nil)
    private let boundSocket = NIOLockedValueBox<UnixSocketFile?>(nil)
    private let connections = NIOLockedValueBox<[ObjectIdentifier: Channel]>([:])

    /// A control server; nothing happens until `start()`.
    public init(
        group: EventLoopGroup, settings: ListenSettings, logger: Logger, limits: Limits = Limits(),
        handler: @escaping Handler
    ) {
        self.group = group
        self.settings = settings
        self.logger = logger
        self.limits = limits
        self.handler = handler
    }

    private var listeningSocket: ListeningSocket {
        ListeningSocket(settings: settings, logger: logger, logPrefix: "[control]", key: "controller.connection_spec")
    }

    /// Binds the socket and starts accepting; returns the bound address.
    @discardableResult
    public func start() async throws(ListenError) -> SocketAddress {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture { try self.accept(channel) }
            }
        let bound = try await listeningSocket.bind(bootstrap)
        boundSocket.withLockedValue { $0 = bound.socket }
        serverChannel.withLockedValue { $0 = bound.channel }
        logger.info("[control][listen] \(settings.spec)")
        return bound.address
    }

    private func accept(_ channel: Channel) throws {
        let id = ObjectIdentifier(channel)
        let admitted = connections.withLockedValue { open -> Bool in
            guard open.count < limits.maximumConnections else { return false }
            open[id] = channel
            return true
        }
        let connections = self.connections
        channel.closeFuture.whenComplete { _ in _ = connections.withLockedValue { $0.removeValue(forKey: id) } }
        guard admitted else {
            logger.warning("[control][refused] more than \(limits.maximumConnections) control connections at once")
            try channel.pipeline.syncOperations.addHandler(
                ControlChannelHandler(refusing: "too many control connections; try again later"))
            return
        }
        try channel.pipeline.syncOperations.addHandler(
            ControlChannelHandler(limits: limits, logger: logger, handler: handler))
    }

    /// Stops accepting, closes every control connection, and removes the unix socket if it is
    /// still the one bound (and `remove_unix_socket_on_close` is on).
    public func shutdown() async {
        let channel = serverChannel.withLockedValue { channel -> Channel? in
            defer { channel = nil }
            return channel
        }
        try? await channel?.close()
        for open in connections.withLockedValue({ Array($0.values) }) { try? await open.close() }
        if settings.removeUnixSocketOnClose, let socket = boundSocket.withLockedValue({ $0 }) {
            listeningSocket.remove(socket)
        }
    }
}
