import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A tiny DNS responder on loopback for the DNSBL tests: answers A queries by name with the
/// configured reply (addresses with a TTL, NXDOMAIN with an SOA, SERVFAIL, silence, garbage,
/// a wrong id, a truncated answer, or any of these after a delay), and records the names it
/// was asked. It never talks to anything but the client on the same machine.
final class DNSResponder: Sendable {
    /// What to answer.
    indirect enum Reply: Sendable {
        case addresses([[UInt8]], ttl: UInt32)
        case nxdomain(soaMinimum: UInt32)
        case servfail
        case silence
        case garbage([UInt8])
        case wrongID
        case truncatedFlag
        case delayed(TimeAmount, Reply)
    }

    let channel: any Channel
    let port: Int
    private let state: NIOLockedValueBox<(replies: [String: Reply], fallback: Reply, queries: [String])>

    /// Starts on `host` (`127.0.0.1` or `::1`), any free port.
    init(group: any EventLoopGroup, host: String = "127.0.0.1", replies: [String: Reply], fallback: Reply) async throws
    {
        let state = NIOLockedValueBox((replies: replies, fallback: fallback, queries: [String]()))
        self.state = state
        channel = try await DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Handler(state: state))
                }
            }
            .bind(host: host, port: 0).get()
        port = channel.localAddress?.port ?? 0
    }

    /// The names asked so far, lower-cased, in order.
    var queries: [String] { state.withLockedValue { $0.queries } }

    /// Changes the reply for `name`.
    func set(_ name: String, _ reply: Reply) { state.withLockedValue { $0.replies[name] = reply } }

    func stop() async throws { try await channel.close() }

    final class Handler: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        typealias OutboundOut = AddressedEnvelope<ByteBuffer>
        let state: NIOLockedValueBox<(replies: [String: Reply], fallback: Reply, queries: [String])>

        init(state: NIOLockedValueBox<(replies: [String: Reply], fallback: Reply, queries: [String])>) {
            self.state = state
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            let query = Array(envelope.data.readableBytesView)
            guard query.count >= 17, let (name, questionEnd) = Self.questionName(query) else { return }
            let reply = state.withLockedValue { state -> Reply in
                state.queries.append(name)
                return state.replies[name] ?? state.fallback
            }
            send(reply, query: Array(query[..<questionEnd]), to: envelope.remoteAddress, context: context)
        }

        private func send(_ reply: Reply, query: [UInt8], to address: SocketAddress, context: ChannelHandlerContext) {
            let bytes: [UInt8]
            switch reply {
            case .silence:
                return
            case .delayed(let delay, let inner):
                let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                context.eventLoop.scheduleTask(in: delay) {
                    let (handler, context) = loopBound.value
                    handler.send(inner, query: query, to: address, context: context)
                }
                return
            case .garbage(let garbage):
                bytes = garbage
            case .addresses(let addresses, let ttl):
                bytes = Self.response(query, code: 0, answers: addresses.map { Self.aRecord($0, ttl: ttl) })
            case .nxdomain(let minimum):
                bytes = Self.response(query, code: 3, answers: [], authority: [Self.soaRecord(minimum: minimum)])
            case .servfail:
                bytes = Self.response(query, code: 2, answers: [])
            case .wrongID:
                var response = Self.response(query, code: 0, answers: [Self.aRecord([127, 0, 0, 2], ttl: 60)])
                response[0] ^= 0xFF
                bytes = response
            case .truncatedFlag:
                var response = Self.response(query, code: 0, answers: [Self.aRecord([127, 0, 0, 2], ttl: 60)])
                response[2] |= 0x02
                bytes = response
            }
            var buffer = context.channel.allocator.buffer(capacity: bytes.count)
            buffer.writeBytes(bytes)
            context.writeAndFlush(
                wrapOutboundOut(AddressedEnvelope(remoteAddress: address, data: buffer)), promise: nil)
        }

        /// The query name (lower-cased, dotted) and where the question ends.
        static func questionName(_ bytes: [UInt8]) -> (String, Int)? {
            var position = 12
            var labels: [String] = []
            while position < bytes.count, bytes[position] != 0 {
                let count = Int(bytes[position])
                guard count < 64, position + 1 + count < bytes.count else { return nil }
                labels.append(String(decoding: bytes[(position + 1)...(position + count)], as: UTF8.self).lowercased())
                position += count + 1
            }
            guard position + 5 <= bytes.count else { return nil }
            return (labels.joined(separator: "."), position + 5)
        }

        /// A response echoing the question, answers pointing at the question name (offset 12).
        static func response(_ question: [UInt8], code: UInt8, answers: [[UInt8]], authority: [[UInt8]] = [])
            -> [UInt8]
        {
            var bytes = question
            bytes[2] = 0x81  // QR, RD
            bytes[3] = 0x80 | code  // RA, RCODE
            bytes[6] = 0
            bytes[7] = UInt8(answers.count)
            bytes[8] = 0
            bytes[9] = UInt8(authority.count)
            bytes[10] = 0
            bytes[11] = 0
            for record in answers + authority { bytes += record }
            return bytes
        }

        static func aRecord(_ address: [UInt8], ttl: UInt32) -> [UInt8] {
            [0xC0, 12, 0, 1, 0, 1] + bytes(ttl) + [0, 4] + address
        }

        static func soaRecord(minimum: UInt32) -> [UInt8] {
            // Owner: the root; rdata: two root names, then serial, refresh, retry, expire, minimum.
            let rdata: [UInt8] = [0, 0] + bytes(1) + bytes(3600) + bytes(600) + bytes(86400) + bytes(minimum)
            return [0, 0, 6, 0, 1] + bytes(3600) + [0, UInt8(rdata.count)] + rdata
        }

        static func bytes(_ value: UInt32) -> [UInt8] {
            [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
        }
    }
}
