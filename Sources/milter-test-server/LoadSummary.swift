import MilterSupport

/// What a load run measured, and its printed form:
///
///     sessions: N
///     failures: F
///     elapsed-time: X seconds
///     throughput: X sessions/s
///     p50: X ms / p90 / p99 / max
///     statuses: accept=N ...
///     cpu-time: X ms (user+sys, getrusage)
///     cpu-per-session: X ms
///     error: <kind> xN (first: <reason>)      (one line per kind of failure)
struct LoadSummary: Sendable {
    /// Sessions run.
    var sessions: Int
    /// Sessions that failed or ended with a status not in `--expected-status`.
    var failures: Int
    /// Wall-clock seconds of the whole run.
    var wallSeconds: Double
    /// Per-session latency in seconds (connect to end), sorted.
    var latencies: [Double]
    /// How many sessions ended with each status.
    var statusCounts: [SessionStatus: Int]
    /// Failures by kind, with the first full reason, in order of first appearance.
    var failureKinds: [(kind: String, count: Int, first: String)]
    /// CPU seconds (user + system) the driver itself used during the run.
    var cpuSeconds: Double

    /// The latency at quantile `q` (nearest rank), in seconds.
    func percentile(_ q: Double) -> Double {
        guard !latencies.isEmpty else { return 0 }
        let rank = Int((q * Double(latencies.count)).rounded(.up))
        return latencies[min(max(rank, 1), latencies.count) - 1]
    }

    /// The printed summary, one `key: value` per line.
    func render() -> String {
        func ms(_ seconds: Double) -> String { CFormat.fixed(seconds * 1000, 3) + " ms" }
        var lines = [
            "sessions: \(sessions)",
            "failures: \(failures)",
            "elapsed-time: \(CFormat.g(wallSeconds)) seconds",
            "throughput: \(CFormat.fixed(wallSeconds > 0 ? Double(sessions) / wallSeconds : 0, 1)) sessions/s",
            "p50: \(ms(percentile(0.50)))",
            "p90: \(ms(percentile(0.90)))",
            "p99: \(ms(percentile(0.99)))",
            "max: \(ms(latencies.last ?? 0))",
        ]
        let statuses = SessionStatus.allCases.compactMap { status in
            statusCounts[status].map { "\(status.word)=\($0)" }
        }
        lines.append("statuses: " + statuses.joined(separator: " "))
        lines.append("cpu-time: \(CFormat.fixed(cpuSeconds * 1000, 3)) ms (user+sys, getrusage)")
        lines.append("cpu-per-session: \(CFormat.fixed(sessions > 0 ? cpuSeconds * 1000 / Double(sessions) : 0, 4)) ms")
        for failure in failureKinds {
            lines.append("error: \(failure.kind) x\(failure.count) (first: \(failure.first))")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
