import Logging
import MilterProtocol
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Looks up the host names of children (`inet:PORT@host`) when a session connects, on a thread
/// pool (never on an event loop), with a short cache: a name that does not resolve (a DNS outage
/// at boot) fails only the sessions that need it, with that child's fallback, and is warned
/// about at most once a minute; an address that resolved before is used while a new look-up fails.
public final class HostResolver: Sendable {
    /// Looks one name up (blocking); the default is getaddrinfo.
    public typealias Lookup =
        @Sendable (_ name: String, _ port: UInt16, _ family: ResolvedChild.Family) throws(AddressResolutionError) ->
        SocketAddress

    struct Key: Hashable {
        var name: String
        var port: UInt16
        var family: ResolvedChild.Family
    }

    struct Entry {
        var address: SocketAddress?
        var failure: AddressResolutionError?
        var expires: UInt64 = 0
        var lookingUp = false
        var waiters: [EventLoopPromise<SocketAddress>] = []
    }

    /// How long a resolved address is used before it is looked up again.
    public static let successLifetime = 30.0
    /// How long a failed look-up is remembered (sessions meanwhile fail at once).
    public static let failureLifetime = 5.0

    private let entries = NIOLockedValueBox<[Key: Entry]>([:])
    private let lookup: Lookup
    private let threadPool: NIOThreadPool
    private let logger: Logger
    private let now: @Sendable () -> UInt64
    private let warnings: LogRateLimiter

    /// A resolver; `lookup` and `now` (monotonic nanoseconds) are injectable for tests.
    public init(
        logger: Logger, threadPool: NIOThreadPool = .singleton,
        now: @escaping @Sendable () -> UInt64 = { NIODeadline.now().uptimeNanoseconds },
        lookup: @escaping Lookup = { name, port, family throws(AddressResolutionError) in
            try ConnectionSpec.lookUp(name, port: port, family: family)
        }
    ) {
        self.logger = logger
        self.threadPool = threadPool
        self.now = now
        self.lookup = lookup
        warnings = LogRateLimiter(intervalSeconds: 60, now: now)
    }

    /// The address of `name` for a connection made on `eventLoop`; fails with
    /// `AddressResolutionError` when the name does not resolve.
    public func address(
        of name: String, port: UInt16, family: ResolvedChild.Family, on eventLoop: EventLoop
    ) -> EventLoopFuture<SocketAddress> {
        let key = Key(name: name, port: port, family: family)
        let time = now()
        enum Decision {
            case answer(Result<SocketAddress, AddressResolutionError>, lookUp: Bool)
            case wait(EventLoopFuture<SocketAddress>, lookUp: Bool)
        }
        let decision = entries.withLockedValue { entries -> Decision in
            var entry = entries[key] ?? Entry()
            defer { entries[key] = entry }
            if time < entry.expires || entry.lookingUp {
                if let address = entry.address { return .answer(.success(address), lookUp: false) }
                if let failure = entry.failure, !entry.lookingUp { return .answer(.failure(failure), lookUp: false) }
            }
            let startLookUp = !entry.lookingUp
            entry.lookingUp = true
            // An address that resolved before serves while it is looked up again.
            if let address = entry.address { return .answer(.success(address), lookUp: startLookUp) }
            let promise = eventLoop.makePromise(of: SocketAddress.self)
            entry.waiters.append(promise)
            return .wait(promise.futureResult, lookUp: startLookUp)
        }
        switch decision {
        case .answer(let result, let lookUp):
            if lookUp { startLookUp(key, on: eventLoop) }
            return eventLoop.makeCompletedFuture(result.mapError { $0 as any Error })
        case .wait(let future, let lookUp):
            if lookUp { startLookUp(key, on: eventLoop) }
            return future
        }
    }

    private func startLookUp(_ key: Key, on eventLoop: EventLoop) {
        let lookup = self.lookup
        threadPool.runIfActive(eventLoop: eventLoop) { () throws -> SocketAddress in
            try lookup(key.name, key.port, key.family)
        }.whenComplete { [self] result in
            switch result {
            case .success(let address): finish(key, .success(address))
            case .failure(let error as AddressResolutionError): finish(key, .failure(error))
            case .failure(let error):
                finish(key, .failure(AddressResolutionError(spec: key.spec, reason: "\(error)")))
            }
        }
    }

    private func finish(_ key: Key, _ result: Result<SocketAddress, AddressResolutionError>) {
        let time = now()
        let (waiters, stale) = entries.withLockedValue {
            entries -> ([EventLoopPromise<SocketAddress>], SocketAddress?) in
            var entry = entries[key] ?? Entry()
            defer { entries[key] = entry }
            let waiters = entry.waiters
            entry.waiters = []
            entry.lookingUp = false
            switch result {
            case .success(let address):
                entry.address = address
                entry.failure = nil
                entry.expires = time &+ UInt64(TimeAmount.saturating(seconds: Self.successLifetime).nanoseconds)
            case .failure(let error):
                entry.failure = entry.address == nil ? error : nil
                entry.expires = time &+ UInt64(TimeAmount.saturating(seconds: Self.failureLifetime).nanoseconds)
            }
            return (waiters, entry.address)
        }
        if case .failure(let error) = result {
            let (admitted, suppressed) = warnings.admit(key.spec)
            if admitted {
                let consequence =
                    stale.map { "still using \($0.ipAddress ?? "\($0)") from the last look-up" }
                    ?? "sessions use that milter's fallback until it resolves"
                let held = suppressed > 0 ? " (\(suppressed) more failure(s) since the last warning)" : ""
                logger.warning(
                    "[manager][resolve] cannot resolve \(key.name) (\(key.spec)): \(error.reason); \(consequence)\(held)"
                )
            }
        }
        for waiter in waiters {
            switch result {
            case .success(let address): waiter.succeed(address)
            case .failure(let error): waiter.fail(error)
            }
        }
    }
}

extension HostResolver.Key {
    var spec: String { "\(family == .inet ? "inet" : "inet6"):\(port)@\(name)" }
}
