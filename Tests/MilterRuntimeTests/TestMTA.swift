import MilterProtocol
import MilterTestSupport
import NIOCore
import NIOPosix

/// A test MTA on a real unix socket: one message through the manager, as the body-spool and
/// manager-server tests send it.
enum TestMTA {
    /// What the MTA got: the negotiation answer, the first answer to `commands` that was not
    /// `continue` (then no end-of-message was sent), and every reply to end-of-message.
    struct Outcome {
        var negotiation: Negotiation
        var early: MilterReply?
        var eom: [MilterReply]
    }

    typealias Connection = NIOAsyncChannel<MilterReply, MilterCommand>

    /// Negotiates (version 6, every action, `steps`), sends `commands` one at a time while each
    /// is answered `continue`, then end-of-message, then quit.
    static func message(_ path: String, steps: ProtocolFlags, commands: [MilterCommand]) async throws -> Outcome {
        let connection = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(unixDomainSocketPath: path) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(MilterReplyDecoder()))
                    try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(MilterCommandEncoder()))
                    return try Connection(wrappingChannelSynchronously: channel)
                }
            }
        return try await connection.executeThenClose { inbound, outbound in
            var replies = inbound.makeAsyncIterator()
            func next() async throws -> MilterReply {
                guard let reply = try await replies.next() else {
                    throw TestSupportError("the manager closed the connection")
                }
                return reply
            }
            try await outbound.write(.negotiate(Negotiation(version: 6, actions: .all, steps: steps)))
            guard case .negotiate(let negotiated) = try await next() else { throw TestSupportError("no negotiation") }
            var outcome = Outcome(negotiation: negotiated, early: nil, eom: [])
            for command in commands {
                try await outbound.write(command)
                let reply = try await next()
                guard reply == .continue else {
                    outcome.early = reply
                    try await outbound.write(.quit)
                    return outcome
                }
            }
            try await outbound.write(.endOfMessage(ByteBuffer()))
            outcome.eom = try await endOfMessageReplies(next)
            try await outbound.write(.quit)
            return outcome
        }
    }

    /// The envelope both tests send: connect, HELO, MAIL, RCPT, DATA.
    static let envelope: [MilterCommand] = [
        .connect(hostname: "mx.example.net", address: .inet(address: "203.0.113.9", port: 50443)),
        .helo("delian"), .mail(sender: "<sender@example.com>", arguments: []),
        .recipient("<receiver@example.org>", arguments: []), .data,
    ]

    /// The replies after end-of-message: modifications and progress, then the verdict (the last
    /// element).
    static func endOfMessageReplies(_ next: () async throws -> MilterReply) async throws -> [MilterReply] {
        var replies: [MilterReply] = []
        while true {
            let reply = try await next()
            replies.append(reply)
            if case .modification = reply { continue }
            if reply == .progress { continue }
            return replies
        }
    }
}
