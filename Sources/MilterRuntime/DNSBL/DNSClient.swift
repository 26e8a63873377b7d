import Configuration
import NIOCore
import NIOPosix

/// A minimal stub resolver for A records over UDP on an event loop (never blocking it): one
/// datagram socket per look-up (a fresh source port and a random id each time), the query sent
/// to every name server at once, the first well-formed answer to it wins; no answer within
/// the time limit is `.timedOut`. Nothing but a matching reply from a queried server counts.
struct DNSClient: Sendable {
    /// The servers asked.
    let nameServers: [DNSNameServer]

    /// The outcome of one look-up.
    enum Outcome: Hashable, Sendable {
        /// An answer (NOERROR with or without A records, NXDOMAIN, or another response code).
        case answered(DNSMessage.Answer)
        /// No usable answer in time (or no server, or the socket failed).
        case timedOut
    }

    /// Looks up the A records of `name` within `timeout`.
    func lookUp(_ name: String, timeout: TimeAmount, on eventLoop: any EventLoop) -> EventLoopFuture<Outcome> {
        let id = UInt16.random(in: 0...UInt16.max)
        guard let query = DNSMessage.query(id: id, name: name), !nameServers.isEmpty else {
            return eventLoop.makeSucceededFuture(.timedOut)
        }
        let servers = nameServers.compactMap { server -> SocketAddress? in
            try? SocketAddress(ipAddress: server.address, port: server.port)
        }
        let promise = eventLoop.makePromise(of: Outcome.self)
        let handler = ReplyHandler(id: id, name: name, servers: servers, promise: promise)
        let useIPv6 = servers.contains { $0.protocol == .inet6 }
        DatagramBootstrap(group: eventLoop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(handler) }
            }
            .bind(host: useIPv6 ? "::" : "0.0.0.0", port: 0)
            .whenComplete { result in
                switch result {
                case .failure:
                    handler.finish(.timedOut)
                case .success(let channel):
                    let timer = channel.eventLoop.scheduleTask(in: timeout) { handler.finish(.timedOut) }
                    promise.futureResult.whenComplete { _ in
                        timer.cancel()
                        channel.close(promise: nil)
                    }
                    for server in servers {
                        var buffer = channel.allocator.buffer(capacity: query.count)
                        buffer.writeBytes(query)
                        let envelope = AddressedEnvelope(
                            remoteAddress: Self.mapped(server, ipv6: useIPv6), data: buffer)
                        channel.writeAndFlush(envelope, promise: nil)
                    }
                }
            }
        return promise.futureResult
    }

    /// An IPv4 server as an IPv4-mapped IPv6 address when the socket is IPv6.
    static func mapped(_ address: SocketAddress, ipv6: Bool) -> SocketAddress {
        guard ipv6, address.protocol == .inet, let ip = address.ipAddress, let port = address.port,
            let mapped = try? SocketAddress(ipAddress: "::ffff:" + ip, port: port)
        else { return address }
        return mapped
    }

    /// Completes the look-up with the first reply that is an answer to it from a queried server.
    final class ReplyHandler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>

        let id: UInt16
        let name: String
        let servers: [SocketAddress]
        let promise: EventLoopPromise<Outcome>
        /// Set once the promise is completed (all on the look-up's event loop).
        private var finished = false

        init(id: UInt16, name: String, servers: [SocketAddress], promise: EventLoopPromise<Outcome>) {
            self.id = id
            self.name = name
            self.servers = servers
            self.promise = promise
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            guard servers.contains(where: { Self.same($0, envelope.remoteAddress) }) else { return }
            let bytes = Array(envelope.data.readableBytesView)
            guard let answer = DNSMessage.parseResponse(bytes, id: id, name: name), !answer.truncated else { return }
            finish(.answered(answer))
        }

        /// Completes the look-up, once; later calls (a late reply, the timer) do nothing.
        func finish(_ outcome: Outcome) {
            promise.futureResult.eventLoop.assertInEventLoop()
            guard !finished else { return }
            finished = true
            promise.succeed(outcome)
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            // ICMP port unreachable and the like: wait for another server or the time limit.
        }

        /// Same IP and port, an IPv4-mapped IPv6 address counting as its IPv4 address.
        static func same(_ lhs: SocketAddress, _ rhs: SocketAddress) -> Bool {
            func key(_ address: SocketAddress) -> String? {
                guard var ip = address.ipAddress, let port = address.port else { return nil }
                if ip.hasPrefix("::ffff:"), ip.contains(".") { ip.removeFirst(7) }
                guard let bytes = IPAddressRange.parseAddress(ip) else { return nil }
                return IPAddressRange.text(of: bytes) + "#\(port)"
            }
            return key(lhs) != nil && key(lhs) == key(rhs)
        }
    }
}
