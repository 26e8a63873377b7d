import Foundation
import Logging
import MilterProtocol
import MilterRuntime
import NIOCore
import NIOPosix
import Testing

/// issue 9 class 12: children's host names are looked up when connecting, off the event loops,
/// with a short cache; failures are remembered briefly and warned about at most once a minute.
@Suite("Host names of children")
struct HostResolverTests {
    /// A scripted getaddrinfo with a clock the test moves.
    final class World: @unchecked Sendable {
        private let lock = NSLock()
        private var answers: [Result<String, AddressResolutionError>]
        private(set) var lookups = 0
        private(set) var lookupsOnAnEventLoop = 0
        var nanoseconds: UInt64 = 1_000_000_000
        let gate = DispatchSemaphore(value: 0)
        var blocking = false

        init(_ answers: [Result<String, AddressResolutionError>]) { self.answers = answers }

        func lookUp(_ name: String, _ port: UInt16) throws(AddressResolutionError) -> SocketAddress {
            lock.lock()
            lookups += 1
            if MultiThreadedEventLoopGroup.currentEventLoop != nil { lookupsOnAnEventLoop += 1 }
            let answer = answers.count > 1 ? answers.removeFirst() : answers[0]
            let block = blocking
            lock.unlock()
            if block { gate.wait() }
            switch answer {
            case .success(let address): return try! SocketAddress(ipAddress: address, port: Int(port))
            case .failure(let error): throw error
            }
        }

        func advance(seconds: Double) {
            lock.lock()
            nanoseconds += UInt64(seconds * 1e9)
            lock.unlock()
        }

        var now: UInt64 {
            lock.lock()
            defer { lock.unlock() }
            return nanoseconds
        }
    }

    /// Log lines, kept.
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [String] = []
        func append(_ line: String) {
            lock.lock()
            stored.append(line)
            lock.unlock()
        }
        var all: [String] {
            lock.lock()
            defer { lock.unlock() }
            return stored
        }
    }

    struct Capture: LogHandler {
        let lines: Lines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { lines.append(event.message.description) }
    }

    static let failure = AddressResolutionError(spec: "inet:10025@mx.example", reason: "Name or service not known")

    private func make(_ world: World) -> (HostResolver, Lines) {
        let lines = Lines()
        let resolver = HostResolver(
            logger: Logger(label: "test") { _ in Capture(lines: lines) }, now: { world.now },
            lookup: { name, port, _ throws(AddressResolutionError) in try world.lookUp(name, port) })
        return (resolver, lines)
    }

    private func resolve(_ resolver: HostResolver) async throws -> SocketAddress {
        try await resolver.address(
            of: "mx.example", port: 10025, family: .inet, on: MultiThreadedEventLoopGroup.singleton.next()
        ).get()
    }

    @Test func aResolvedAddressIsCachedForAShortWhile() async throws {
        let world = World([.success("192.0.2.1"), .success("192.0.2.2")])
        let (resolver, _) = make(world)
        #expect(try await resolve(resolver).ipAddress == "192.0.2.1")
        #expect(try await resolve(resolver).ipAddress == "192.0.2.1")
        #expect(world.lookups == 1)
        world.advance(seconds: HostResolver.successLifetime + 1)
        // The old address serves while the new look-up runs.
        _ = try await resolve(resolver)
        try await waitUntil { world.lookups == 2 }
        try await waitUntilResolved(resolver, to: "192.0.2.2")
        #expect(world.lookupsOnAnEventLoop == 0, "getaddrinfo ran on an event loop")
    }

    @Test func aFailureFailsTheConnectionIsRememberedAndWarnedOnceAMinute() async throws {
        let world = World([.failure(Self.failure)])
        let (resolver, lines) = make(world)
        for _ in 0..<3 {
            await #expect(throws: AddressResolutionError.self) { try await resolve(resolver) }
        }
        #expect(world.lookups == 1, "a failure is remembered for a few seconds")
        world.advance(seconds: HostResolver.failureLifetime + 1)
        await #expect(throws: AddressResolutionError.self) { try await resolve(resolver) }
        #expect(world.lookups == 2)
        #expect(lines.all.count == 1, "\(lines.all)")
        #expect(lines.all.first?.contains("cannot resolve mx.example (inet:10025@mx.example)") == true)
        #expect(lines.all.first?.contains("sessions use that milter's fallback until it resolves") == true)
        world.advance(seconds: 61)
        await #expect(throws: AddressResolutionError.self) { try await resolve(resolver) }
        #expect(lines.all.count == 2)
        #expect(lines.all.last?.contains("(1 more failure(s) since the last warning)") == true, "\(lines.all)")
    }

    @Test func theLastGoodAddressServesWhileTheNameDoesNotResolve() async throws {
        let world = World([.success("192.0.2.1"), .failure(Self.failure)])
        let (resolver, lines) = make(world)
        #expect(try await resolve(resolver).ipAddress == "192.0.2.1")
        world.advance(seconds: HostResolver.successLifetime + 1)
        #expect(try await resolve(resolver).ipAddress == "192.0.2.1")
        try await waitUntil { !lines.all.isEmpty }
        #expect(try await resolve(resolver).ipAddress == "192.0.2.1")
        #expect(lines.all.first?.contains("still using 192.0.2.1 from the last look-up") == true, "\(lines.all)")
    }

    @Test func sessionsWaitingForTheSameNameShareOneLookUp() async throws {
        let world = World([.success("192.0.2.7")])
        world.blocking = true
        let (resolver, _) = make(world)
        let loops = MultiThreadedEventLoopGroup.singleton
        let futures = (0..<10).map { _ in resolver.address(of: "mx.example", port: 25, family: .inet, on: loops.next())
        }
        try await waitUntil { world.lookups == 1 }
        world.gate.signal()
        for future in futures { #expect(try await future.get().ipAddress == "192.0.2.7") }
        #expect(world.lookups == 1)
    }

    private func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<500 where !condition() { try await Task.sleep(nanoseconds: 10_000_000) }
        #expect(condition())
    }

    private func waitUntilResolved(_ resolver: HostResolver, to address: String) async throws {
        for _ in 0..<500 {
            if try await resolve(resolver).ipAddress == address { return }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
        Issue.record("never resolved to \(address)")
    }
}
