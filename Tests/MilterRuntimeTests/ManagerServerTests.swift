import Foundation
import MilterProtocol
import MilterRuntime
import MilterTestSupport
import NIOConcurrencyHelpers
import NIOCore
import Testing

/// The proxy over real sockets, in process: our codec plays the MTA, two real libmilter
/// milters are the children.
@Suite("Manager server with real libmilter children", .serialized)
struct ManagerServerTests {
    struct Bench {
        let directory: URL
        let milters: [Subprocess]
        let server: ManagerServer
        let socketPath: String
    }

    private func makeBench(
        _ milters: [(String, [String])], fallback: MilterStatus = .accept, leading: [ChildDefinition] = [],
        maximumFrameLength: Int = MilterFrame.defaultMaximumLength
    ) async throws -> Bench {
        let directory = try TestPaths.makeTemporaryDirectory("server")
        let (processes, started) = try InProcessManager.startMilters(milters, in: directory, fallback: fallback)
        let children = try leading.map {
            ResolvedChild(definition: $0, address: try $0.connectionSpec.connectAddress())
        }
        let (server, socketPath) = try await InProcessManager.start(
            in: directory, children: children + started, maximumFrameLength: maximumFrameLength)
        return Bench(directory: directory, milters: processes, server: server, socketPath: socketPath)
    }

    private func tearDown(_ bench: Bench) async {
        await bench.server.shutdown(grace: 5)
        for milter in bench.milters { milter.kill9() }
        try? FileManager.default.removeItem(at: bench.directory)
    }

    /// One message through the manager; returns every reply to the end-of-message, or the
    /// first answer that was not continue.
    private func session(_ path: String, subject: String, body: ByteBuffer = ByteBuffer(string: "Hello.\r\n"))
        async throws -> (negotiation: Negotiation?, eom: [MilterReply])
    {
        let outcome = try await TestMTA.message(
            path, steps: .all,
            commands: TestMTA.envelope + [
                .header(name: "From", value: "<sender@example.com>"),
                .header(name: "Subject", value: MilterString(subject)), .endOfHeader, .body(body),
            ])
        return (outcome.negotiation, outcome.early.map { [$0] } ?? outcome.eom)
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

    /// A TCP child that answers until the body and then stops reading, sent one 8 MiB body
    /// chunk: more than the kernel buffers on both sides take (the child's receive buffer is
    /// made small, the manager's send buffer grows to 4 MiB at most), so the write cannot be
    /// flushed and only the writing timer can end the wait (the reading timer is set far beyond
    /// the test's time limit). The child's fallback applies and the other child finishes the
    /// message, replayed the whole body.
    @Test(.timeLimit(.minutes(1)))
    func aChildThatStopsReadingIsGivenUpAfterTheWritingTimeout() async throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var small: Int32 = 4096
        setsockopt(listener, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, length) == 0 && listen(listener, 4) == 0 && getsockname(listener, $0, &length) == 0
            }
        }
        try #require(bound)
        let port = UInt16(bigEndian: address.sin_port)
        let finished = NIOLockedValueBox(false)
        defer { finished.withLockedValue { $0 = true } }
        Thread { Self.answerUntilTheBody(listener, finished: finished) }.start()

        let bench = try await makeBench(
            [("second", ["--add-header", "X-Second:two"])],
            leading: [
                ChildDefinition(
                    name: "stuck", connectionSpec: .inet(port: port, host: .address("127.0.0.1")),
                    fallbackStatus: .accept, writingTimeout: 0.3, readingTimeout: 3600)
            ], maximumFrameLength: 16 << 20)
        let result = try await session(
            bench.socketPath, subject: "hello", body: ByteBuffer(repeating: UInt8(ascii: "x"), count: 8 << 20))
        await tearDown(bench)
        #expect(result.eom == [.modification(.insertHeader(index: 2, name: "X-Second", value: "two")), .accept])
    }

    /// The stuck child: accepts one connection, negotiates (version 6, nothing asked), answers
    /// `continue` to every command before the body, then reads nothing more until the manager
    /// closes the connection.
    private static func answerUntilTheBody(_ listener: Int32, finished: NIOLockedValueBox<Bool>) {
        let connection = accept(listener, nil, nil)
        guard connection >= 0 else { return }
        defer { close(connection) }
        func readFully(_ count: Int) -> [UInt8]? {
            var bytes = [UInt8](repeating: 0, count: count)
            var done = 0
            while done < count {
                let got = bytes.withUnsafeMutableBytes { read(connection, $0.baseAddress! + done, count - done) }
                if got <= 0 { return nil }
                done += got
            }
            return bytes
        }
        func reply(_ code: UInt8, _ payload: [UInt8] = []) {
            let length = UInt32(payload.count + 1)
            let frame = withUnsafeBytes(of: length.bigEndian, Array.init) + [code] + payload
            _ = frame.withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
        }
        while let header = readFully(4) {
            let length = Int(header.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self).bigEndian })
            guard length > 0, let command = readFully(1)?.first else { return }
            if command == UInt8(ascii: "B") { break }
            guard length == 1 || readFully(length - 1) != nil else { return }
            switch command {
            case UInt8(ascii: "O"):
                reply(
                    UInt8(ascii: "O"),
                    withUnsafeBytes(of: UInt32(6).bigEndian, Array.init) + [UInt8](repeating: 0, count: 8))
            case UInt8(ascii: "D"):
                break
            default:
                reply(UInt8(ascii: "c"))
            }
        }
        // Stopped reading: hold the connection until the test is over (a minute at most).
        for _ in 0..<600 where !finished.withLockedValue({ $0 }) { usleep(100_000) }
    }
}
