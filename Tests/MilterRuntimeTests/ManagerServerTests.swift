import Foundation
import Logging
import MilterProtocol
import MilterRuntime
import MilterTestSupport
import NIOCore
import NIOPosix
import Testing

/// The proxy over real sockets, in process: our codec plays the MTA, two real libmilter
/// milters are the children.
@Suite("Manager server with real libmilter children", .serialized)
struct ManagerServerTests {
    typealias Connection = NIOAsyncChannel<MilterReply, MilterCommand>

    struct Bench {
        let directory: URL
        let milters: [Subprocess]
        let server: ManagerServer
        let socketPath: String
    }

    private func makeBench(
        _ milters: [(String, [String])], fallback: MilterStatus = .accept, leading: [ChildDefinition] = []
    ) async throws -> Bench {
        let directory = try TestPaths.makeTemporaryDirectory("server")
        var processes: [Subprocess] = []
        var children: [ResolvedChild] = try leading.map {
            ResolvedChild(definition: $0, address: try $0.connectionSpec.connectAddress())
        }
        for (name, options) in milters {
            let (process, path) = try RealMilters.startTestMilter(in: directory, name: name, options: options)
            processes.append(process)
            let spec = ConnectionSpec.unix(path: path)
            children.append(
                ResolvedChild(
                    definition: ChildDefinition(name: name, connectionSpec: spec, fallbackStatus: fallback),
                    address: try spec.connectAddress()))
        }
        let socketPath = directory.appendingPathComponent("manager.sock").path
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let server = ManagerServer(
            group: MultiThreadedEventLoopGroup.singleton,
            configuration: RuntimeConfiguration(listenSpec: .unix(path: socketPath), children: children),
            logger: logger)
        try await server.start()
        return Bench(directory: directory, milters: processes, server: server, socketPath: socketPath)
    }

    private func tearDown(_ bench: Bench) async {
        await bench.server.shutdown(grace: 5)
        for milter in bench.milters { milter.kill9() }
        try? FileManager.default.removeItem(at: bench.directory)
    }

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

    /// One message through the manager; returns every reply to the end-of-message.
    private func session(_ path: String, subject: String) async throws -> (
        negotiation: Negotiation?, eom: [MilterReply]
    ) {
        let connection = try await connect(path)
        return try await connection.executeThenClose { inbound, outbound in
            var replies = inbound.makeAsyncIterator()
            func next() async throws -> MilterReply {
                guard let reply = try await replies.next() else {
                    throw TestSupportError("the manager closed the connection")
                }
                return reply
            }
            try await outbound.write(.negotiate(Negotiation(version: 6, actions: .all, steps: .all)))
            guard case .negotiate(let negotiated) = try await next() else { throw TestSupportError("no negotiation") }
            let steps: [(MilterCommand, Bool)] = [
                (.connect(hostname: "mx.example.net", address: .inet(address: "203.0.113.9", port: 50443)), true),
                (.helo("delian"), true),
                (.mail(sender: "<sender@example.com>", arguments: []), true),
                (.recipient("<receiver@example.org>", arguments: []), true),
                (.data, true),
                (.header(name: "From", value: "<sender@example.com>"), true),
                (.header(name: "Subject", value: MilterString(subject)), true),
                (.endOfHeader, true),
                (.body(ByteBuffer(string: "Hello.\r\n")), true),
            ]
            for (command, _) in steps {
                try await outbound.write(command)
                let reply = try await next()
                guard reply == .continue else { return (negotiated, [reply]) }
            }
            try await outbound.write(.endOfMessage(ByteBuffer()))
            let eom = try await EndOfMessageReplies.read(next)
            try await outbound.write(.quit)
            return (negotiated, eom)
        }
    }

    @Test func bothChildrenChangesReachTheMTA() async throws {
        let bench = try await makeBench([
            ("first", ["--add-header", "X-First:one", "--reject-subject", "REJECTME"]),
            ("second", ["--add-header", "X-Second:two"]),
        ])
        let result = try await session(bench.socketPath, subject: "hello")
        await tearDown(bench)
        #expect(result.negotiation?.actions.contains(.addHeaders) == true)
        #expect(
            result.eom == [
                .modification(.insertHeader(index: 2, name: "X-First", value: "one")),
                .modification(.insertHeader(index: 3, name: "X-Second", value: "two")),
                .accept,
            ])
    }

    @Test func aRejectReachesTheMTA() async throws {
        let bench = try await makeBench([
            ("first", ["--add-header", "X-First:one", "--reject-subject", "REJECTME"]),
            ("second", ["--add-header", "X-Second:two"]),
        ])
        let result = try await session(bench.socketPath, subject: "please REJECTME")
        await tearDown(bench)
        #expect(result.eom == [.replyCode(try SMTPReply(validating: "550 5.7.1 rejected by testmilter"))])
    }

    @Test func aKilledChildFallsBackAndMailStillFlows() async throws {
        let bench = try await makeBench([
            ("first", ["--add-header", "X-First:one"]),
            ("second", ["--add-header", "X-Second:two"]),
        ])
        bench.milters[0].kill9()
        let result = try await session(bench.socketPath, subject: "hello")
        await tearDown(bench)
        #expect(result.eom == [.modification(.insertHeader(index: 2, name: "X-Second", value: "two")), .accept])
    }

    @Test func aKilledChildWithTempfailFallbackTempfails() async throws {
        let bench = try await makeBench(
            [("first", ["--add-header", "X-First:one"]), ("second", [])], fallback: .temporaryFailure)
        bench.milters[0].kill9()
        let result = try await session(bench.socketPath, subject: "hello")
        await tearDown(bench)
        #expect(result.eom == [.temporaryFailure])
    }

    /// Fallback of the silent child → what the MTA gets at end-of-message (or earlier).
    static let silentChildCases: [(MilterStatus, [MilterReply])] = [
        // Accept: the session goes on with the other child; its change and accept go through.
        (.accept, [.modification(.insertHeader(index: 2, name: "X-Second", value: "two")), .accept]),
        // Temporary failure: runtime.md 1.5 step 7, the connect is answered with it.
        (.temporaryFailure, [.temporaryFailure]),
    ]

    @Test(arguments: silentChildCases)
    func aChildThatNeverNegotiatesIsGivenUpAfterTheConnectionTimeout(
        fallback: MilterStatus, expected: [MilterReply]
    ) async throws {
        // A listening socket nobody accepts from: the kernel completes the connection, the
        // negotiation is written and never answered, so only the connection timer ends it.
        let silentDirectory = try TestPaths.makeTemporaryDirectory("silent")
        defer { try? FileManager.default.removeItem(at: silentDirectory) }
        let silentPath = silentDirectory.appendingPathComponent("silent.sock").path
        let silent = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(silent) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (offset, byte) in silentPath.utf8.enumerated() { raw[offset] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(silent, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        #expect(bound == 0 && listen(silent, 16) == 0)
        let bench = try await makeBench(
            [("second", ["--add-header", "X-Second:two"])],
            leading: [
                ChildDefinition(
                    name: "silent", connectionSpec: .unix(path: silentPath), fallbackStatus: fallback,
                    connectionTimeout: 0.3)
            ])
        let result = try await session(bench.socketPath, subject: "hello")
        await tearDown(bench)
        #expect(result.eom == expected)
    }
}
