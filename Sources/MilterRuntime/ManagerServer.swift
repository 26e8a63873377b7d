import Logging
import MilterProtocol
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// The milter the MTA talks to: listens on `manager.connection_spec` and runs a session per
/// MTA connection. The configuration can be swapped (SIGHUP): new sessions use the new one,
/// sessions in flight finish on the one they started with.
public final class ManagerServer: Sendable {
    let group: EventLoopGroup
    private let logger: Logger
    private let configuration: NIOLockedValueBox<RuntimeConfiguration>
    private let serverChannel = NIOLockedValueBox<Channel?>(nil)
    private let sessionsDone = NIOLockedValueBox<[EventLoopPromise<Void>]>([])
    /// Counters and tags of every session.
    public let registry: SessionRegistry
    private let localEndpoint: @Sendable (ConnectAddress) -> (address: String, port: UInt16)?
    /// Children's host names, looked up when sessions connect.
    let resolver: HostResolver
    let selfConnections: SelfConnectionGuard
    /// The unix socket this process bound, removed at shutdown only if it is still that inode.
    private let boundSocket = NIOLockedValueBox<UnixSocketFile?>(nil)
    /// Whether the listening socket accepts (paused: too many sessions, out of descriptors).
    private let acceptGate: AcceptGate
    /// Warnings that could repeat for every connection (a self-connection).
    private let warnings = LogRateLimiter(intervalSeconds: 60, now: { NIODeadline.now().uptimeNanoseconds })
    /// Told what every session does (metrics); nil: nothing is measured.
    private let observer: (any SessionObserver)?

    /// A server; nothing happens until `start()`.
    public init(
        group: EventLoopGroup, configuration: RuntimeConfiguration, logger: Logger,
        registry: SessionRegistry = SessionRegistry(),
        localEndpoint: @escaping @Sendable (ConnectAddress) -> (address: String, port: UInt16)? = { _ in nil },
        resolver: HostResolver? = nil, selfConnections: SelfConnectionGuard = SelfConnectionGuard(),
        observer: (any SessionObserver)? = nil
    ) {
        self.observer = observer
        self.group = group
        self.logger = logger
        self.configuration = NIOLockedValueBox(Self.withLuaStates(configuration, group: group, logger: logger))
        self.registry = registry
        self.localEndpoint = localEndpoint
        self.resolver = resolver ?? HostResolver(logger: logger)
        self.selfConnections = selfConnections
        let box = self.configuration
        self.acceptGate = AcceptGate(logger: logger, registry: registry, configuration: { box.withLockedValue { $0 } })
    }

    /// The configuration new sessions start with.
    public var currentConfiguration: RuntimeConfiguration { configuration.withLockedValue { $0 } }

    /// Replaces the configuration for new sessions (the listening socket stays).
    public func reload(_ newConfiguration: RuntimeConfiguration) {
        let prepared = Self.withLuaStates(newConfiguration, group: group, logger: logger)
        configuration.withLockedValue { current in
            var updated = prepared
            updated.listenSpec = current.listenSpec
            current = updated
        }
        logger.notice("[manager][reload] configuration reloaded: \(newConfiguration.children.count) milter(s)")
    }

    /// `configuration` with a Lua state per event loop of `group` holding its condition scripts
    /// (none without scripts). A script that loads alone but not with the others (the states'
    /// shared memory cap) is logged; the conditions with scripts then apply their milters'
    /// fallback.
    static func withLuaStates(_ configuration: RuntimeConfiguration, group: any EventLoopGroup, logger: Logger)
        -> RuntimeConfiguration
    {
        guard !configuration.conditionScripts.isEmpty else { return configuration }
        var prepared = configuration
        let pool = LuaStatePool(scripts: configuration.conditionScripts, loops: LuaStatePool.loops(of: group))
        if let failure = pool.failure {
            logger.error("[manager][lua] the condition scripts cannot be loaded: \(failure); their milters fall back")
        }
        prepared.luaStates = pool
        return prepared
    }

    /// Binds the listening socket and starts accepting; returns the bound address. A unix
    /// socket is staged and put in place as `ListeningSocket` describes: a stale socket is
    /// removed, anything else at the path is an error and left alone, and the MTA never finds
    /// the socket with the wrong mode or group.
    @discardableResult
    public func start() async throws(ListenError) -> SocketAddress {
        let config = currentConfiguration
        var bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(AcceptPauseHandler(gate: self.acceptGate))
                }
            }
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try self.setUpSession(channel)
                }
            }
        if case .unix = config.listenSpec {
            // NIO skips TCP_NODELAY on a unix socket only after asking its address
            // (getsockname): one system call per session saved by not asking.
        } else {
            bootstrap = bootstrap.childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
        }
        let bound = try await listeningSocket(config).bind(bootstrap)
        boundSocket.withLockedValue { $0 = bound.socket }
        serverChannel.withLockedValue { $0 = bound.channel }
        acceptGate.attach(bound.channel)
        logger.info("[manager][listen] \(config.listenSpec)")
        return bound.address
    }

    private func listeningSocket(_ config: RuntimeConfiguration) -> ListeningSocket {
        ListeningSocket(
            settings: ListenSettings(
                spec: config.listenSpec, unixSocketMode: config.unixSocketMode, unixSocketGroup: config.unixSocketGroup,
                removeUnixSocketOnCreate: config.removeUnixSocketOnCreate,
                removeUnixSocketOnClose: config.removeUnixSocketOnClose),
            logger: logger, logPrefix: "[manager]", key: "manager.connection_spec")
    }

    private func setUpSession(_ channel: Channel) throws {
        let config = currentConfiguration
        let registry = self.registry
        let logger = self.logger
        let localEndpoint = self.localEndpoint
        registry.sessionStarted()
        let environment = SessionEnvironment(
            now: { NIODeadline.now().uptimeNanoseconds }, processingSessions: { registry.inProgress },
            localEndpoint: localEndpoint, observer: observer)
        let resolver = self.resolver
        let selfConnections = self.selfConnections
        try channel.pipeline.syncOperations.addHandler(
            MTAChannelHandler(
                maximumFrameLength: config.maximumFrameLength,
                isSelfConnection: { [self] channel in
                    guard let child = selfConnections.selfConnection(channel) else { return false }
                    reportSelfConnection(child)
                    return true
                },
                makeDriver: { channel in
                    SessionDriver(
                        mtaChannel: channel, configuration: config, registry: registry, logger: logger,
                        environment: environment, resolver: resolver, selfConnections: selfConnections)
                }))
        let gate = acceptGate
        channel.closeFuture.whenComplete { _ in gate.sessionEnded() }
        gate.sessionAccepted()
    }

    private func reportSelfConnection(_ child: String) {
        let (admitted, suppressed) = warnings.admit("self")
        guard admitted else { return }
        let held = suppressed > 0 ? " (\(suppressed) more since the last report)" : ""
        let message =
            "[client][error] the manager connected to itself (\(child)): a milter's connection_spec reaches the "
            + "manager's own socket \(currentConfiguration.listenSpec); that milter fails with its fallback\(held)"
        logger.error("\(message)")
    }

    /// Stops accepting, waits up to `grace` seconds for sessions in flight (less when the task
    /// is cancelled), removes the unix socket if it is still the one this process bound (a
    /// socket that cannot be removed is reported).
    public func shutdown(grace: Double = 30) async {
        let channel = serverChannel.withLockedValue { channel -> Channel? in
            defer { channel = nil }
            return channel
        }
        acceptGate.attach(nil)
        try? await channel?.close()
        let deadline = NIODeadline.now() + .saturating(seconds: grace)
        // A cancelled wait (a second stop signal) ends at once.
        while registry.inProgress > 0 && NIODeadline.now() < deadline && !Task.isCancelled {
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        let config = currentConfiguration
        if config.removeUnixSocketOnClose, let socket = boundSocket.withLockedValue({ $0 }) {
            listeningSocket(config).remove(socket)
        }
        logger.info("[manager][stop] stopped; \(registry.inProgress) session(s) still in progress")
    }
}
