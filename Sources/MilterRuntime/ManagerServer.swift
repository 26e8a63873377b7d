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
    private let group: EventLoopGroup
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

    /// A server; nothing happens until `start()`.
    public init(
        group: EventLoopGroup, configuration: RuntimeConfiguration, logger: Logger,
        registry: SessionRegistry = SessionRegistry(),
        localEndpoint: @escaping @Sendable (ConnectAddress) -> (address: String, port: UInt16)? = { _ in nil },
        resolver: HostResolver? = nil, selfConnections: SelfConnectionGuard = SelfConnectionGuard()
    ) {
        self.group = group
        self.logger = logger
        self.configuration = NIOLockedValueBox(configuration)
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
        configuration.withLockedValue { current in
            var updated = newConfiguration
            updated.listenSpec = current.listenSpec
            current = updated
        }
        logger.notice("[manager][reload] configuration reloaded: \(newConfiguration.children.count) milter(s)")
    }

    /// Binds the listening socket and starts accepting; returns the bound address. A unix
    /// socket path is prepared first: a stale socket (nothing listens) is removed, anything
    /// else there (a live socket, a file, a directory, a link) is an error and left alone. The
    /// socket is bound under a hidden name, given its mode and group, and then linked into
    /// place, so the MTA never finds it with the wrong permissions and nothing is replaced.
    @discardableResult
    public func start() async throws(ListenError) -> SocketAddress {
        let config = currentConfiguration
        let spec = config.listenSpec
        let address: SocketAddress
        do {
            address = try spec.listenAddress()
        } catch {
            throw ListenError(spec: spec.description, reason: .address(error.reason))
        }
        var staging: String?
        var bindAddress = address
        if case .unix(let path) = spec {
            try prepareSocketPath(path, spec: spec, removeStale: config.removeUnixSocketOnCreate)
            if let candidate = UnixSocketStaging.path(for: path),
                let stagingAddress = try? SocketAddress(unixDomainSocketPath: candidate)
            {
                try prepareSocketPath(candidate, spec: spec, removeStale: true)
                staging = candidate
                bindAddress = stagingAddress
            }
        }
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
        if case .unix = spec {
            // NIO skips TCP_NODELAY on a unix socket only after asking its address
            // (getsockname): one system call per session saved by not asking.
        } else {
            bootstrap = bootstrap.childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
        }
        let channel: Channel
        do {
            channel = try await bootstrap.bind(to: bindAddress).get()
        } catch {
            throw ListenError(spec: spec.description, reason: .bind("\(error)"))
        }
        if case .unix(let path) = spec {
            let file = staging ?? path
            if chmod(file, mode_t(config.unixSocketMode)) != 0 {
                logger.warning(
                    "[manager][socket] chmod \(String(config.unixSocketMode, radix: 8)) \(path) failed: errno \(errno)")
            }
            if let group = config.unixSocketGroup {
                if let entry = getgrnam(group) {
                    if chown(file, uid_t.max, entry.pointee.gr_gid) != 0 {
                        logger.warning("[manager][socket] chgrp \(group) \(path) failed: errno \(errno)")
                    }
                } else {
                    logger.warning("[manager][socket] unknown group \(group) for \(path)")
                }
            }
            if let staging {
                // link() never replaces: if something appeared at the path meanwhile, it stays.
                let linked = link(staging, path) == 0
                let reason = linked ? "" : String(cString: strerror(errno))
                unlink(staging)
                guard linked else {
                    try? await channel.close()
                    throw ListenError(
                        spec: spec.description, reason: .install(staging: staging, path: path, detail: reason))
                }
            }
            boundSocket.withLockedValue { $0 = UnixSocketFile(boundAt: path) }
        }
        serverChannel.withLockedValue { $0 = channel }
        acceptGate.attach(channel)
        logger.info("[manager][listen] \(spec)")
        if case .unix = spec { return address }
        return channel.localAddress ?? address
    }

    /// Makes `path` free for binding: nothing there, or a stale socket that is removed.
    private func prepareSocketPath(_ path: String, spec: ConnectionSpec, removeStale: Bool) throws(ListenError) {
        switch UnixSocketFile.occupant(of: path) {
        case .nothing:
            return
        case .staleSocket:
            guard removeStale else { throw ListenError(spec: spec.description, reason: .exists(path: path)) }
            if unlink(path) != 0 && errno != ENOENT {
                let reason = String(cString: strerror(errno))
                throw ListenError(spec: spec.description, reason: .cannotPrepare(path: path, detail: reason))
            }
            logger.notice("[manager][socket] removed the stale socket \(path)")
        case .liveSocket:
            throw ListenError(spec: spec.description, reason: .inUse(path: path))
        case .other(let kind):
            throw ListenError(spec: spec.description, reason: .notASocket(path: path, kind: kind))
        case .unknown(let reason):
            throw ListenError(spec: spec.description, reason: .cannotPrepare(path: path, detail: reason))
        }
    }

    private func setUpSession(_ channel: Channel) throws {
        let config = currentConfiguration
        let registry = self.registry
        let logger = self.logger
        let localEndpoint = self.localEndpoint
        registry.sessionStarted()
        let environment = SessionEnvironment(
            now: { NIODeadline.now().uptimeNanoseconds }, processingSessions: { registry.inProgress },
            localEndpoint: localEndpoint)
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
        if currentConfiguration.removeUnixSocketOnClose, let socket = boundSocket.withLockedValue({ $0 }) {
            switch socket.removeIfUnchanged() {
            case .removed, .gone:
                break
            case .replaced:
                logger.warning("[manager][stop] \(socket.path) is no longer the socket this process bound; left alone")
            case .failed(let reason):
                logger.error("[manager][stop] cannot remove the socket \(socket.path): \(reason)")
            }
        }
        logger.info("[manager][stop] stopped; \(registry.inProgress) session(s) still in progress")
    }
}
