import Foundation
import MilterProtocol
import MilterTestSupport
import NIOCore
import NIOPosix
import Testing

/// Our codec as the MTA side of one full session with Sendmail's libmilter (Debian
/// libmilter-dev), a milter implementation nobody here wrote.
@Suite("Interop with a real libmilter milter", .serialized)
struct LibmilterInteropTests {
    typealias Connection = NIOAsyncChannel<MilterReply, MilterCommand>

    private func connect(_ path: String) async throws -> Connection {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(unixDomainSocketPath: path) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(MilterReplyDecoder()))
                    try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(MilterCommandEncoder()))
                    return try Connection(wrappingChannelSynchronously: channel)
                }
            }
    }

    @Test func fullSessionSeesTheAddedHeaderAndTheReject() async throws {
        let directory = try TestPaths.makeTemporaryDirectory("interop")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (milter, socketPath) = try RealMilters.startTestMilter(
            in: directory,
            options: ["--add-header", "X-Interop:libmilter", "--reject-subject", "REJECTME", "--symlist"])
        defer { milter.stop() }

        let connection = try await connect(socketPath)
        try await connection.executeThenClose { inbound, outbound in
            var replies = inbound.makeAsyncIterator()
            func send(_ commands: MilterCommand...) async throws { try await outbound.write(contentsOf: commands) }
            func next() async throws -> MilterReply {
                guard let reply = try await replies.next() else {
                    throw TestSupportError("milter closed the connection")
                }
                return reply
            }

            // Negotiation: version 6, every action, every step offered.
            try await send(.negotiate(Negotiation(version: 6, actions: .all, steps: .all)))
            guard case .negotiate(let answer) = try await next() else {
                Issue.record("expected a negotiation reply")
                return
            }
            #expect(answer.version == 6)
            #expect(answer.actions.contains(.addHeaders))
            #expect(answer.actions.contains(.setSymbolList))
            // Every callback is implemented, so libmilter asks for no NO_* step.
            #expect(answer.steps.intersection(ProtocolFlags.noEventMask).isEmpty)
            #expect(answer.requestedSymbols(for: .connect) == ["{client_addr}", "j"])
            #expect(answer.requestedSymbols(for: .endOfMessage) == ["i"])

            try await send(
                .macro(
                    stage: .connect,
                    macros: [
                        Macro(name: "j", value: "mail.example.com"), Macro(name: "{client_addr}", value: "192.0.2.1"),
                    ]),
                .connect(hostname: "mx.example.net", address: .inet(address: "192.0.2.1", port: 50443)))
            #expect(try await next() == .continue)
            try await send(.helo("delian"))
            #expect(try await next() == .continue)

            // Message 1: accepted with the header the milter adds.
            for (subject, expectReject) in [("hello", false), ("please REJECTME", true)] {
                try await send(.mail(sender: "<sender@example.com>", arguments: []))
                #expect(try await next() == .continue)
                try await send(.recipient("<receiver@example.org>", arguments: []))
                #expect(try await next() == .continue)
                try await send(.data)
                #expect(try await next() == .continue)
                try await send(.header(name: "From", value: "<sender@example.com>"))
                #expect(try await next() == .continue)
                try await send(.header(name: "Subject", value: MilterString(subject)))
                #expect(try await next() == .continue)
                try await send(.endOfHeader)
                #expect(try await next() == .continue)
                try await send(.body(ByteBuffer(string: "La de da de da 1.\r\n")))
                #expect(try await next() == .continue)
                try await send(
                    .macro(stage: .endOfMessage, macros: [Macro(name: "i", value: "4AB3C2")]),
                    .endOfMessage(ByteBuffer()))
                if expectReject {
                    let reply = try await next()
                    guard case .replyCode(let code) = reply else {
                        Issue.record("expected a reply code, got \(reply)")
                        return
                    }
                    #expect(code.text == "550 5.7.1 rejected by testmilter")
                    #expect(code.extendedCode == "5.7.1")
                    #expect(code.isPermanent)
                } else {
                    #expect(try await next() == .modification(.addHeader(name: "X-Interop", value: "libmilter")))
                    #expect(try await next() == .accept)
                }
            }
            try await send(.quit)
            #expect(try await replies.next() == nil)
        }
    }
}
