import Foundation
import Logging
import MilterControl
import MilterProtocol
import MilterRuntime
import MilterTestSupport
import NIOConcurrencyHelpers
import NIOPosix
import Testing

/// The control socket over a real unix socket, with hostile clients: a line that never ends,
/// a client that sends nothing, more clients than allowed, binary, pipelined requests. Each
/// ends in an error line and a closed connection for that client only; the next client is
/// served as if nothing happened.
@Suite("Control socket with hostile clients", .serialized)
struct ControlServerTests {
    /// A blocking client socket with a receive timeout (so that a hang fails the test). The
    /// timeout is long: the server answers from a task of Swift concurrency, whose few threads
    /// (one per core) the daemon tests running in parallel hold while they wait for their
    /// processes, so on a busy 2-core machine an answer has been seen to take over 20 seconds.
    final class Client: @unchecked Sendable {
        let descriptor: Int32

        init(_ path: String) throws {
            descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (offset, byte) in path.utf8.enumerated() { raw[offset] = byte }
            }
            var timeout = timeval(tv_sec: 120, tv_usec: 0)
            setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            guard result == 0 else { throw TestSupportError("connect \(path): errno \(errno)") }
        }

        deinit { close(descriptor) }

        func send(_ bytes: [UInt8]) {
            _ = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }

        func send(_ text: String) { send(Array(text.utf8)) }

        /// The reply lines until the server closes (or the timeout: then `closed` is false).
        func readToEnd() async -> (lines: [String], closed: Bool) { await ControlServerTests.offPool(readToEndNow) }

        private func readToEndNow() -> (lines: [String], closed: Bool) {
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 {
                    let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
                    // A reset (the server closed with the client's data unread) is a close too.
                    return (lines, count == 0 || errno == ECONNRESET)
                }
                bytes += buffer[0..<count]
            }
        }

        /// One reply line.
        func readLine() async -> String? { await ControlServerTests.offPool(readLineNow) }

        private func readLineNow() -> String? {
            var bytes: [UInt8] = []
            var byte: UInt8 = 0
            while read(descriptor, &byte, 1) == 1 {
                if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
                bytes.append(byte)
            }
            return nil
        }
    }

    struct Bench {
        let directory: URL
        let server: ControlServer
        let path: String
        let requests: NIOLockedValueBox<[ControlCommand]>
    }

    /// The protocol's limits but a request timeout far longer than any test: on a busy machine
    /// the test itself may resume late between two requests (the timeout has its own test).
    static let patient: ControlServer.Limits = {
        var limits = ControlServer.Limits()
        limits.requestTimeout = 600
        return limits
    }()

    static func start(limits: ControlServer.Limits = patient, slowReload: Bool = false) async throws
        -> Bench
    {
        let directory = try TestPaths.makeTemporaryDirectory("control")
        let path = directory.appendingPathComponent("control.sock").path
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let requests = NIOLockedValueBox<[ControlCommand]>([])
        let server = ControlServer(
            group: MultiThreadedEventLoopGroup.singleton,
            settings: ListenSettings(spec: .unix(path: path), unixSocketMode: 0o600), logger: logger, limits: limits
        ) { request in
            requests.withLockedValue { $0.append(request.command) }
            if request.command == .reload && slowReload { try? await Task.sleep(nanoseconds: 300_000_000) }
            return .success(.object([("command", .string(request.command.rawValue))]))
        }
        try await server.start()
        return Bench(directory: directory, server: server, path: path, requests: requests)
    }

    static func stop(_ bench: Bench) async {
        await bench.server.shutdown()
        try? FileManager.default.removeItem(at: bench.directory)
    }

    /// Runs `body` on a thread of its own and waits for it without holding a thread of Swift
    /// concurrency: the client's blocking reads must not take one of the few threads the
    /// server's handler (a task) needs to answer, or a busy machine (tests running in parallel)
    /// starves it.
    static func offPool<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: body()) }.start()
        }
    }

    /// Asks `status` on a fresh connection: the server still serves.
    static func stillServes(_ bench: Bench) async throws -> Bool {
        let client = try Client(bench.path)
        client.send("{\"command\":\"status\"}\n")
        return await client.readLine() == "{\"ok\":true,\"result\":{\"command\":\"status\"}}"
    }

    @Test func requestsAreAnsweredInOrderOnOneConnection() async throws {
        let bench = try await Self.start(slowReload: true)
        defer { Task { await Self.stop(bench) } }
        let client = try Client(bench.path)
        // Sent ahead in one write, the second waits for the first (a slow reload).
        client.send("{\"command\":\"reload\"}\r\n{\"command\":\"children\"}\n{\"command\":\"nope\"}\n")
        #expect(await client.readLine() == "{\"ok\":true,\"result\":{\"command\":\"reload\"}}")
        #expect(await client.readLine() == "{\"ok\":true,\"result\":{\"command\":\"children\"}}")
        let unknown = try #require(await client.readLine())
        #expect(unknown.hasPrefix("{\"ok\":false,\"error\":\"unknown command \\\"nope\\\""))
        // An unknown command keeps the connection.
        client.send("{\"command\":\"reopen-logs\"}\n")
        #expect(await client.readLine() == "{\"ok\":true,\"result\":{\"command\":\"reopen-logs\"}}")
        #expect(bench.requests.withLockedValue { $0 } == [.reload, .children, .reopenLogs])
        var info = stat()
        #expect(stat(bench.path, &info) == 0 && info.st_mode & 0o777 == 0o600)
    }

    /// What a hostile client sends and the start of the error it gets (nil: the connection is
    /// reset with the client's data unread, and the reply may be lost with it).
    struct Hostile: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var error: String?
        var testDescription: String { name }
    }

    static let hostile: [Hostile] = [
        Hostile(
            name: "a line that never ends", bytes: [UInt8](repeating: UInt8(ascii: "x"), count: 5000),
            error: "request longer than 4096 bytes"),
        Hostile(
            name: "a long line", bytes: [UInt8](repeating: UInt8(ascii: " "), count: 5000) + [0x0A],
            error: "request longer than 4096 bytes"),
        Hostile(name: "binary", bytes: [0x00, 0xFF, 0x1B, 0x80, 0x0A], error: "the request is not a JSON object"),
        Hostile(name: "not JSON", bytes: Array("status\n".utf8), error: "the request is not a JSON object"),
        Hostile(
            name: "JSON but no command", bytes: Array("{\"cmd\":\"status\"}\n".utf8),
            error: "the request has no \\\"command\\\" string"),
        Hostile(name: "a flood of empty lines", bytes: [UInt8](repeating: 0x0A, count: 20000), error: nil),
    ]

    @Test(arguments: hostile)
    func aHostileClientGetsAnErrorAndIsClosed(_ hostile: Hostile) async throws {
        let bench = try await Self.start()
        defer { Task { await Self.stop(bench) } }
        let client = try Client(bench.path)
        client.send(hostile.bytes)
        let (lines, closed) = await client.readToEnd()
        #expect(closed, "the connection stays open")
        if let error = hostile.error {
            let first = try #require(lines.first, "no reply")
            #expect(first.hasPrefix("{\"ok\":false,\"error\":\"\(error)"), "\(first)")
        }
        #expect(lines.allSatisfy { $0.hasPrefix("{\"ok\":false,") })
        #expect(bench.requests.withLockedValue { $0 }.isEmpty)
        #expect(try await Self.stillServes(bench))
    }

    @Test func aClientThatSendsNothingIsDisconnected() async throws {
        var limits = ControlServer.Limits()
        limits.requestTimeout = 0.2
        let bench = try await Self.start(limits: limits)
        defer { Task { await Self.stop(bench) } }
        let silent = try Client(bench.path)
        let slow = try Client(bench.path)
        slow.send("{\"command\":")
        #expect(await silent.readToEnd() == ([], true))
        #expect(await slow.readToEnd() == ([], true))
        #expect(try await Self.stillServes(bench))
    }

    @Test func moreClientsThanAllowedAreTurnedAway() async throws {
        var limits = Self.patient
        limits.maximumConnections = 3
        let bench = try await Self.start(limits: limits)
        defer { Task { await Self.stop(bench) } }
        var held = try (0..<3).map { _ in try Client(bench.path) }
        // Each held connection is served once before the next one is opened, so they are all
        // accepted by now.
        for client in held {
            client.send("{\"command\":\"children\"}\n")
            #expect(await client.readLine()?.hasPrefix("{\"ok\":true") == true)
        }
        let refused = try Client(bench.path)
        let (lines, closed) = await refused.readToEnd()
        #expect(closed && lines == ["{\"ok\":false,\"error\":\"too many control connections; try again later\"}"])
        held.removeFirst()
        // The slot frees once the server sees the close: asked again until then (bounded).
        var served = false
        for _ in 0..<500 where !served {
            served = (try? await Self.stillServes(bench)) == true
            if !served { try await Task.sleep(nanoseconds: 20_000_000) }
        }
        #expect(served, "no slot freed up")
    }

    @Test func theSocketIsStagedAndOnlyAStaleOneIsRemoved() async throws {
        let directory = try TestPaths.makeTemporaryDirectory("control")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("control.sock").path
        try "not a socket".write(toFile: path, atomically: true, encoding: .utf8)
        let server = ControlServer(
            group: MultiThreadedEventLoopGroup.singleton, settings: ListenSettings(spec: .unix(path: path)),
            logger: Logger(label: "test")
        ) { _ in .failure("unused") }
        await #expect {
            try await server.start()
        } throws: { error in
            "\(error)".contains("is a regular file, not a socket; it is left alone: fix controller.connection_spec")
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "not a socket")
    }

    @Test func aLoopbackPortServesToo() async throws {
        // Port 0: the kernel picks a free port (a port found free a moment earlier could be
        // taken by a test running beside this one).
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let server = ControlServer(
            group: MultiThreadedEventLoopGroup.singleton,
            settings: ListenSettings(spec: .inet(port: 0, host: .address("127.0.0.1"))), logger: logger
        ) { _ in .success(.object([])) }
        let address = try await server.start()
        defer { Task { await server.shutdown() } }
        let port = try #require(address.port)
        #expect(port != 0)
        #expect(Ports.isListening(port))
    }
}
