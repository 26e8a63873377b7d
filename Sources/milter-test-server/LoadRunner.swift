import NIOCore

/// Keeps `concurrency` sessions running on one event loop until `total` are done, and
/// summarizes them. Lives on its event loop only (every method runs there). With several
/// connectors, a session runs with each in turn (as an MTA asks each of its milters) and counts
/// once, its latency the sum.
final class LoadRunner {
    private let connectors: [SessionConnector]
    private let eventLoop: EventLoop
    private let total: Int
    private let concurrency: Int
    private let expected: Set<SessionStatus>?
    private let onReport: ((SessionReport) -> Void)?
    private let done: EventLoopPromise<Void>

    private var launched = 0
    private var completed = 0
    private var latencies: [Double] = []
    private var statusCounts: [SessionStatus: Int] = [:]
    private var failures = 0
    private var failureKinds: [(kind: String, count: Int, first: String)] = []

    private init(
        connectors: [SessionConnector], eventLoop: EventLoop, total: Int, concurrency: Int,
        expected: Set<SessionStatus>?, onReport: ((SessionReport) -> Void)?
    ) {
        self.connectors = connectors
        self.eventLoop = eventLoop
        self.total = total
        self.concurrency = concurrency
        self.expected = expected
        self.onReport = onReport
        self.done = eventLoop.makePromise()
        latencies.reserveCapacity(total)
    }

    /// Runs the load on `eventLoop`; `onReport` (called on the loop) sees every session.
    /// The result's `cpuSeconds` and `wallSeconds` are left for the caller to fill in.
    static func run(
        connectors: [SessionConnector], on eventLoop: EventLoop, total: Int, concurrency: Int,
        expected: Set<SessionStatus>?, onReport: (@Sendable (SessionReport) -> Void)? = nil
    ) -> EventLoopFuture<LoadSummary> {
        eventLoop.flatSubmit {
            let runner = LoadRunner(
                connectors: connectors, eventLoop: eventLoop, total: total, concurrency: concurrency,
                expected: expected, onReport: onReport)
            for _ in 0..<min(max(concurrency, 1), total) where runner.launched < total { runner.launch() }
            if total == 0 { runner.done.succeed() }
            return runner.done.futureResult.assumeIsolatedUnsafeUnchecked().map { runner.summary }.nonisolated()
        }
    }

    /// Whether a session counts as a failure.
    static func isFailure(_ outcome: SessionOutcome, expected: Set<SessionStatus>?) -> Bool {
        if outcome.failure != nil { return true }
        if let expected { return !expected.contains(outcome.status) }
        return false
    }

    private func launch() {
        let number = UInt64(launched)
        launched += 1
        runChain(from: 0, number: number, before: nil) { report in
            self.record(report)
            if self.launched < self.total {
                // A session that failed at once (connection refused) completes inside `run`;
                // starting the next one from a fresh task keeps the stack flat.
                self.eventLoop.assumeIsolatedUnsafeUnchecked().execute { self.launch() }
            } else if self.completed == self.total {
                self.done.succeed()
            }
        }
    }

    /// Runs session `number` with `connectors[index...]` in turn, stopping at a failure.
    private func runChain(
        from index: Int, number: UInt64, before: SessionReport?, done: @escaping (SessionReport) -> Void
    ) {
        connectors[index].run(on: eventLoop, number: number).assumeIsolatedUnsafeUnchecked().whenSuccess { report in
            var total = report
            if let before {
                total.latency += before.latency
                total.elapsed += before.elapsed
            }
            if index + 1 < self.connectors.count, !Self.isFailure(report.outcome, expected: self.expected) {
                self.runChain(from: index + 1, number: number, before: total, done: done)
            } else {
                done(total)
            }
        }
    }

    private func record(_ report: SessionReport) {
        completed += 1
        latencies.append(report.latency)
        statusCounts[report.outcome.status, default: 0] += 1
        if Self.isFailure(report.outcome, expected: expected) {
            failures += 1
            let kind = report.outcome.failure?.kind ?? "unexpected status \(report.outcome.status.word)"
            let reason = report.outcome.failure?.description ?? ResultPrinter.statusLine(report.outcome)
            if let index = failureKinds.firstIndex(where: { $0.kind == kind }) {
                failureKinds[index].count += 1
            } else {
                failureKinds.append((kind, 1, reason))
            }
        }
        onReport?(report)
    }

    private var summary: LoadSummary {
        LoadSummary(
            sessions: completed, failures: failures, wallSeconds: 0, latencies: latencies.sorted(),
            statusCounts: statusCounts, failureKinds: failureKinds, cpuSeconds: 0)
    }
}
