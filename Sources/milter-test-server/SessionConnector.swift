#if canImport(Glibc)
    import Glibc
#endif
import MilterProtocol
import NIOCore
import NIOPosix

/// Runs sessions: connects, hands the channel to a `TestServerHandler`, reports the outcome.
struct SessionConnector: Sendable {
    /// The spec as the user wrote it (for messages).
    let spec: String
    /// Where to connect.
    let target: ConnectTarget
    /// What each session sends.
    let plan: SessionPlan
    /// The timeouts of each session.
    let timeouts: TimeoutSettings
    /// Queue ids for the `i` macro.
    let queueIDs: QueueIDGenerator
    /// Log every packet to standard error.
    var verbose = false

    /// Runs session number `number` (its first message gets queue id number
    /// `number * messagesPerSession`) on `eventLoop`.
    func run(on eventLoop: EventLoop, number: UInt64) -> EventLoopFuture<SessionReport> {
        let start = eventLoop.now
        let promise = eventLoop.makePromise(of: SessionReport.self)
        let sessionDeadline = timeouts.session.map { start + TestServerHandler.amount($0) }
        let connectSeconds = min(timeouts.connection, timeouts.session ?? .infinity)
        let session = TestServerSession(
            plan: plan, queueIDs: queueIDs, firstMessageNumber: number &* UInt64(plan.messagesPerSession))
        let timeouts = self.timeouts
        let quickAck = target.isTCP
        let log = verbose ? PacketLog(number: number) : nil
        var bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(TestServerHandler.amount(connectSeconds))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = TestServerHandler(
                        session: session, timeouts: timeouts, sessionDeadline: sessionDeadline, quickAck: quickAck,
                        log: log
                    ) { outcome, activeAt in
                        let end = channel.eventLoop.now
                        let latency = Self.seconds(end - start)
                        let elapsed = activeAt.map { Self.seconds(end - $0) } ?? latency
                        promise.succeed(SessionReport(outcome: outcome, elapsed: elapsed, latency: latency))
                    }
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        if quickAck { bootstrap = bootstrap.channelOption(.tcpOption(.tcp_nodelay), value: 1) }
        let connected: EventLoopFuture<Channel>
        switch target {
        case .unix(let path): connected = bootstrap.connect(unixDomainSocketPath: path)
        case .inet(let address): connected = bootstrap.connect(to: address)
        }
        let spec = self.spec
        connected.whenFailure { error in
            let failure: TestServerError
            if case ChannelError.connectTimeout = error {
                failure = .connectionTimeout(spec: spec, seconds: connectSeconds)
            } else {
                failure = .connectFailed(spec: spec, reason: Self.reason(error))
            }
            let latency = Self.seconds(eventLoop.now - start)
            promise.succeed(SessionReport(outcome: .failed(failure), elapsed: latency, latency: latency))
        }
        return promise.futureResult
    }

    static func seconds(_ amount: TimeAmount) -> Double { Double(amount.nanoseconds) / 1e9 }

    /// The errno text of a connect error (`Connection refused`).
    static func reason(_ error: Error) -> String {
        if let io = error as? IOError { return TestServerHandler.errnoText(io.errnoCode) }
        if let connection = error as? NIOConnectionError, let first = connection.connectionErrors.first {
            return reason(first.error)
        }
        return "\(error)"
    }
}
