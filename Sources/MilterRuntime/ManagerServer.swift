import Logging
import MilterProtocol
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// Why the manager could not start listening.
public struct ListenError: Error, CustomStringConvertible {
    /// The spec it tried.
    public var spec: String
    /// What failed.
    public var reason: String
    /// `cannot listen on SPEC: reason`.
    public var description: String { "cannot listen on \(spec): \(reason)" }
}

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

    /// A server; nothing happens until `start()`.
    public init(
        group: EventLoopGroup, configuration: RuntimeConfiguration, logger: Logger,
        registry: SessionRegistry = SessionRegistry(),
        localEndpoint: @escaping @Sendable (ConnectAddress) -> (address: String, port: UInt16)? = { _ in nil }
    ) {
        self.group = group
        self.logger = logger
        self.configuration = NIOLockedValueBox(configuration)
        self.registry = registry
        self.localEndpoint = localEndpoint
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

    /// Binds the listening socket (unix: stale file removed, mode and group set) and starts
    /// accepting. Returns the bound address.
    @discardableResult
    public func start() async throws -> SocketAddress {
        let config = currentConfiguration
        let spec = config.listenSpec
        let address: SocketAddress
        do {
            address = try spec.listenAddress()
        } catch {
            throw ListenError(spec: spec.description, reason: error.reason)
        }
        if case .unix(let path) = spec, config.removeUnixSocketOnCreate {
            Self.removeStaleSocket(path)
        }
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 4096)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    try self.setUpSession(channel)
                }
            }
        // A unix socket is bound under a hidden name in the same directory, given its mode and
        // group, then renamed into place: the MTA never finds it with the wrong permissions.
        var staging: String?
        var bindAddress = address
        if case .unix(let path) = spec, let candidate = UnixSocketStaging.path(for: path),
            let stagingAddress = try? SocketAddress(unixDomainSocketPath: candidate)
        {
            if !config.removeUnixSocketOnCreate && access(path, F_OK) == 0 {
                throw ListenError(
                    spec: spec.description, reason: "\(path) exists (remove_unix_socket_on_create is off)")
            }
            unlink(candidate)
            staging = candidate
            bindAddress = stagingAddress
        }
        let channel: Channel
        do {
            channel = try await bootstrap.bind(to: bindAddress).get()
        } catch {
            throw ListenError(spec: spec.description, reason: "\(error)")
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
            if let staging, rename(staging, path) != 0 {
                let reason = "rename \(staging) to \(path): \(String(cString: strerror(errno)))"
                unlink(staging)
                try? await channel.close()
                throw ListenError(spec: spec.description, reason: reason)
            }
        }
        serverChannel.withLockedValue { $0 = channel }
        logger.info("[manager][listen] \(spec)")
        if case .unix = spec { return address }
        return channel.localAddress ?? address
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
        try channel.pipeline.syncOperations.addHandler(
            ByteToMessageHandler(MilterCommandDecoder(maximumLength: config.maximumFrameLength)))
        try channel.pipeline.syncOperations.addHandler(
            MTAChannelHandler { channel in
                SessionDriver(
                    mtaChannel: channel, configuration: config, registry: registry, logger: logger,
                    environment: environment)
            })
        if config.maxConnections > 0, registry.inProgress >= config.maxConnections {
            pauseAccepting(config)
        }
    }

    /// Too many sessions: stop accepting for `suspend_time_on_unacceptable` seconds, then check
    /// again (without blocking any event loop).
    private func pauseAccepting(_ config: RuntimeConfiguration) {
        guard let channel = serverChannel.withLockedValue({ $0 }) else { return }
        let message =
            "[client][accept][suspend] too many processing connection: \(registry.inProgress), max: \(config.maxConnections); "
            + "suspend accepting connection in \(Format.g(config.suspendTimeOnUnacceptable)) seconds"
        logger.warning("\(message)")
        channel.setOption(.autoRead, value: false).whenSuccess {
            channel.eventLoop.scheduleTask(in: .nanoseconds(Int64(config.suspendTimeOnUnacceptable * 1e9))) { [self] in
                self.resumeAccepting(channel, config)
            }
        }
    }

    private func resumeAccepting(_ channel: Channel, _ config: RuntimeConfiguration) {
        if registry.inProgress >= config.maxConnections {
            channel.eventLoop.scheduleTask(in: .nanoseconds(Int64(config.suspendTimeOnUnacceptable * 1e9))) { [self] in
                self.resumeAccepting(channel, config)
            }
            return
        }
        logger.info("[client][accept][resume] resume accepting connection")
        channel.setOption(.autoRead, value: true).whenComplete { _ in channel.read() }
    }

    /// Stops accepting, waits up to `grace` seconds for sessions in flight, removes the unix
    /// socket.
    public func shutdown(grace: Double = 30) async {
        let channel = serverChannel.withLockedValue { channel -> Channel? in
            defer { channel = nil }
            return channel
        }
        try? await channel?.close()
        let deadline = NIODeadline.now() + .nanoseconds(Int64(grace * 1e9))
        while registry.inProgress > 0 && NIODeadline.now() < deadline {
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        let config = currentConfiguration
        if case .unix(let path) = config.listenSpec, config.removeUnixSocketOnClose {
            unlink(path)
        }
        logger.info("[manager][stop] stopped; \(registry.inProgress) session(s) still in progress")
    }

    /// Removes a socket file left by an earlier run (only sockets, never other files).
    static func removeStaleSocket(_ path: String) {
        var info = stat()
        if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFSOCK {
            unlink(path)
        }
    }
}
