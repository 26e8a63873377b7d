import MilterControl
import MilterProtocol
import MilterRuntime
import Prometheus

/// The manager's Prometheus metrics: what sessions and children did (recorded as sessions go,
/// through `SessionObserver`), reloads, and gauges read when a scrape comes (sessions in
/// flight, whatever `gauges` reports). Metric and label names are fixed here; label values
/// come from a closed set (stage names, status words) or from the configuration (milter names),
/// so the number of series stays bounded whatever the mail.
public final class ManagerMetrics: SessionObserver {
    /// The collectors, emitted by a scrape.
    public let registry = PrometheusCollectorRegistry()
    private let stageDurations: [MilterCommandCode: DurationHistogram]
    private let inFlight: Gauge
    private let spooledMessages: Counter
    private let spooledBytes: Counter
    private let sessionsInFlight: @Sendable () -> Int
    private let health: ChildHealthRegistry?

    /// The buckets of the per-stage answer times: 100 µs to a minute.
    static let durationBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2),
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10),
        .seconds(30), .seconds(60),
    ]

    /// The stages the MTA is answered at.
    static let answeredStages: [MilterCommandCode] = [
        .connect, .helo, .mail, .recipient, .data, .unknown, .header, .endOfHeader, .body, .endOfMessage,
    ]

    /// Metrics whose in-flight gauge reads `sessionsInFlight` at each scrape, and whose
    /// per-child gauges read `health` (the registry the control socket's status reads too).
    public init(sessionsInFlight: @escaping @Sendable () -> Int, health: ChildHealthRegistry? = nil) {
        self.sessionsInFlight = sessionsInFlight
        self.health = health
        var durations: [MilterCommandCode: DurationHistogram] = [:]
        for stage in Self.answeredStages {
            durations[stage] = registry.makeDurationHistogram(
                descriptor: MetricName.stageDuration.descriptor, labels: [("stage", stage.stageName)],
                buckets: Self.durationBuckets)
        }
        stageDurations = durations
        inFlight = registry.makeGauge(descriptor: MetricName.sessionsInFlight.descriptor)
        spooledMessages = registry.makeCounter(descriptor: MetricName.spooledMessages.descriptor)
        spooledBytes = registry.makeCounter(descriptor: MetricName.spooledBytes.descriptor)
        for result in ["success", "failure"] {
            _ = registry.makeCounter(descriptor: MetricName.reloads.descriptor, labels: [("result", result)])
        }
    }

    // MARK: - SessionObserver

    public func answered(stage: MilterCommandCode, nanoseconds: UInt64) {
        stageDurations[stage]?.recordNanoseconds(Int64(clamping: nanoseconds))
    }

    public func sessionEnded(stage: MilterCommandCode, status: String) {
        registry.makeCounter(
            descriptor: MetricName.sessions.descriptor, labels: [("stage", stage.stageName), ("status", status)]
        ).increment()
    }

    public func milterEnded(_ milter: String, stage: MilterCommandCode, status: String) {
        registry.makeCounter(
            descriptor: MetricName.milterResults.descriptor,
            labels: [("milter", milter), ("stage", stage.stageName), ("status", status)]
        ).increment()
    }

    public func bodySpooled(bytes: Int) {
        spooledMessages.increment()
        spooledBytes.increment(by: Int64(bytes))
    }

    // MARK: - The daemon's events

    /// A reload ended: the new configuration is in force, or not.
    public func reloaded(succeeded: Bool) {
        registry.makeCounter(
            descriptor: MetricName.reloads.descriptor, labels: [("result", succeeded ? "success" : "failure")]
        )
        .increment()
    }

    /// The text a scrape returns (Prometheus text format 0.0.4), gauges read now.
    public func scrape() -> [UInt8] {
        inFlight.set(Int64(sessionsInFlight()))
        for child in health?.snapshot() ?? [] {
            let labels = [("milter", child.name)]
            if let reachable = child.reachable {
                registry.makeGauge(descriptor: MetricName.milterReachable.descriptor, labels: labels)
                    .set(to: reachable ? 1.0 : 0.0)
            }
            if let at = child.lastErrorAt {
                registry.makeGauge(descriptor: MetricName.milterLastError.descriptor, labels: labels).set(to: at)
            }
            if let at = child.lastSuccessAt {
                registry.makeGauge(descriptor: MetricName.milterLastSuccess.descriptor, labels: labels).set(to: at)
            }
            registry.makeGauge(descriptor: MetricName.milterStartedByManager.descriptor, labels: labels)
                .set(to: child.startedByManager ? 1.0 : 0.0)
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16 * 1024)
        registry.emit(into: &buffer)
        return buffer
    }
}

/// The manager's metrics: names and help texts in one place (tests and the README read the
/// same names).
public enum MetricName: CaseIterable, Sendable {
    /// Sessions by the stage they ended at and their final status.
    case sessions
    /// Sessions in progress.
    case sessionsInFlight
    /// Each child's result per session.
    case milterResults
    /// How long the MTA waited for the manager's answer at each stage.
    case stageDuration
    /// Reloads.
    case reloads
    /// Messages whose body was kept in a spool file.
    case spooledMessages
    /// The bytes of those bodies.
    case spooledBytes
    /// Whether a child's last connection succeeded.
    case milterReachable
    /// When a child's last connection failed.
    case milterLastError
    /// When a child's last connection succeeded.
    case milterLastSuccess
    /// Whether the manager started the child that answers now.
    case milterStartedByManager

    /// The full name as scraped (`milter_manager_sessions_total`, ...).
    public var name: String { descriptor.name }

    /// Namespace, name, unit and help text.
    var descriptor: MetricNameDescriptor {
        let (name, unit, help) = parts
        return MetricNameDescriptor(namespace: "milter_manager", metricName: name, unitName: unit, helpText: help)
    }

    /// The name after `milter_manager_`, the unit suffix and the help text.
    private var parts: (name: String, unit: String, help: String) {
        switch self {
        case .sessions:
            return (
                "sessions", "total",
                "SMTP sessions ended, by the last stage and the final status (as the statistics log lines)."
            )
        case .sessionsInFlight:
            return ("sessions_in_flight", "", "SMTP sessions in progress.")
        case .milterResults:
            return (
                "milter_results", "total",
                "Child milters leaving a session, by milter, the last stage it saw and its status."
            )
        case .stageDuration:
            return ("stage_duration", "seconds", "Time from an MTA command to the manager's answer, by stage.")
        case .reloads:
            return (
                "reloads", "total", "Configuration reloads, by result (success: the new configuration is in force)."
            )
        case .spooledMessages:
            return (
                "spooled_messages", "total",
                "Messages whose body went to a spool file (larger than manager.body_spool_threshold)."
            )
        case .spooledBytes:
            return (
                "spooled_body", "bytes_total",
                "Bytes of the message bodies kept in spool files (each message's final body)."
            )
        case .milterReachable:
            return (
                "milter_reachable", "",
                "1 when the child's last connection (a session's or a status check's) succeeded, else 0."
            )
        case .milterLastError:
            return (
                "milter_last_error_timestamp", "seconds",
                "When the child's last connection failed (seconds since the epoch; the reason: milter-manager-ctl children)."
            )
        case .milterLastSuccess:
            return (
                "milter_last_success_timestamp", "seconds",
                "When a connection to the child last succeeded (seconds since the epoch)."
            )
        case .milterStartedByManager:
            return (
                "milter_started_by_manager", "",
                "1 when the child answering now was started by the manager through milter.command."
            )
        }
    }
}
