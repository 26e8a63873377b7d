import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing

@testable import MilterRuntime

/// `SelfConnectionGuard` on real TCP connections over loopback: an accepted connection is the
/// manager's own child connection only when both of its ends match, swapped.
struct SelfConnectionGuardTests {
    /// A listener that keeps the channels it accepts.
    final class Listener: Sendable {
        let channel: Channel
        let accepted = NIOLockedValueBox<[Channel]>([])

        init() async throws {
            let accepted = self.accepted
            channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .childChannelInitializer { child in
                    accepted.withLockedValue { $0.append(child) }
                    return child.eventLoop.makeSucceededVoidFuture()
                }
                .bind(host: "127.0.0.1", port: 0).get()
        }

        var port: Int { channel.localAddress?.port ?? 0 }

        /// The channel accepted from the client whose local port is `port`.
        func acceptedChannel(fromPort port: Int) async throws -> Channel {
            for _ in 0..<200 {
                if let found = accepted.withLockedValue({ $0.first { $0.remoteAddress?.port == port } }) {
                    return found
                }
                try await Task.sleep(for: .milliseconds(10))
            }
            throw ChannelError.connectTimeout(.milliseconds(2000))
        }
    }

    /// A client connection from 127.0.0.1:`localPort` (0: any), with SO_REUSEADDR so that two
    /// connections to different peers can share the port.
    static func connect(to port: Int, fromPort localPort: Int) async throws -> Channel {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(to: try SocketAddress(ipAddress: "127.0.0.1", port: localPort))
            .connect(host: "127.0.0.1", port: port).get()
    }

    @Test func anMTAConnectionFromTheLocalPortOfAChildConnectionIsNotTheManagerItself() async throws {
        let child = try await Listener()
        let manager = try await Listener()
        let guarding = SelfConnectionGuard()
        // The manager's connection to its child, registered as sessions register theirs.
        let toChild = try await Self.connect(to: child.port, fromPort: 0)
        let sharedPort = try #require(toChild.localAddress?.port)
        guarding.register(toChild, child: "alpha")
        // An MTA connection that the kernel happens to give the same local port (made here on
        // purpose): a different connection, with a different peer.
        let fromMTA = try await Self.connect(to: manager.port, fromPort: sharedPort)
        let accepted = try await manager.acceptedChannel(fromPort: sharedPort)
        #expect(accepted.remoteAddress?.port == sharedPort)
        #expect(guarding.selfConnection(accepted) == nil, "an MTA session taken for the manager itself")

        // The real thing: a child connection that reached the manager's own listener.
        let toItself = try await Self.connect(to: manager.port, fromPort: 0)
        guarding.register(toItself, child: "itself")
        let looped = try await manager.acceptedChannel(fromPort: try #require(toItself.localAddress?.port))
        #expect(guarding.selfConnection(looped) == "itself")

        // Forgotten once that connection closes.
        try await toItself.close()
        try await Task.sleep(for: .milliseconds(50))
        #expect(guarding.selfConnection(looped) == nil)

        for channel in [toChild, fromMTA, child.channel, manager.channel] { try? await channel.close() }
        for channel in child.accepted.withLockedValue({ $0 }) + manager.accepted.withLockedValue({ $0 }) {
            try? await channel.close()
        }
    }
}
