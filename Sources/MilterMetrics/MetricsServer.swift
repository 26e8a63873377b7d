import MilterProtocol
import MilterRuntime
import NIOCore
import NIOHTTP1
import NIOPosix

/// The HTTP listener Prometheus scrapes (`manager.metrics_connection_spec`): TCP only (`inet:` or
/// `inet6:`; a spec without a host listens on every address), `GET /metrics`; connections idle
/// for 30 seconds are closed.
public final class MetricsServer: Sendable {
    private let channel: Channel
    /// Where it listens (the port the kernel chose when the spec said 0).
    public let address: SocketAddress

    /// Why the metrics listener cannot start.
    public struct StartError: Error, Hashable, Sendable, CustomStringConvertible {
        /// The spec as written.
        public var spec: String
        /// What went wrong.
        public var reason: String
        /// `cannot serve metrics on SPEC: reason`.
        public var description: String { "cannot serve metrics on \(spec): \(reason)" }
    }

    private init(channel: Channel, address: SocketAddress) {
        self.channel = channel
        self.address = address
    }

    /// Binds `spec` on `group` and serves `metrics`.
    public static func start(
        spec: ConnectionSpec, metrics: ManagerMetrics, group: any EventLoopGroup
    ) async throws(StartError) -> MetricsServer {
        let address: SocketAddress
        switch spec {
        case .unix:
            throw StartError(
                spec: spec.description,
                reason: "Prometheus scrapes over TCP: use inet:PORT@[127.0.0.1] (or another address)")
        case .inet, .inet6:
            do {
                address = try spec.listenAddress()
            } catch {
                throw StartError(spec: spec.description, reason: error.reason)
            }
        }
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        IdleStateHandler(allTimeout: .seconds(30)))
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(MetricsHTTPHandler(metrics: metrics))
                }
            }
        do {
            let channel = try await bootstrap.bind(to: address).get()
            return MetricsServer(channel: channel, address: channel.localAddress ?? address)
        } catch {
            throw StartError(spec: spec.description, reason: "\(error)")
        }
    }

    /// Stops listening (scrapes in progress end on their own).
    public func stop() async {
        try? await channel.close()
    }
}
