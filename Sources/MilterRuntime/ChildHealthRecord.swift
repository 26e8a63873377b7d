import MilterControl

/// What the manager knows about one child: its connections (from sessions and status checks)
/// and the attempts to start it. A value; `ChildHealthRegistry` keeps one per child name and
/// changes it under its lock. No I/O: `connectFailed` only says whether to start the child.
struct ChildHealthRecord: Sendable {
    /// An attempt to start the child that has not ended.
    struct Attempt: Sendable {
        var since: HealthMoment
        var pid: Int?
    }

    var reachable: Bool?
    var lastError: String?
    var lastErrorAt: HealthMoment?
    var lastSuccessAt: HealthMoment?
    /// The last connection of any kind (for status checks: recent enough is not checked again).
    var lastObservedAt: HealthMoment?
    var startedByManager = false
    /// An attempt ran (or runs) since the last one that failed: the next successful connection
    /// reaches a child the manager started.
    var startPending = false
    var attempts = 0
    var running: Attempt?
    var lastAttemptStart: HealthMoment?
    var lastAttemptEnd: HealthMoment?
    var lastResult: String?

    /// A connection succeeded.
    mutating func connected(at now: HealthMoment) {
        reachable = true
        lastSuccessAt = now
        lastObservedAt = now
        if startPending {
            startedByManager = true
            startPending = false
        }
    }

    /// A connection failed. True when an attempt to start the child begins now (the caller
    /// then asks the launcher): `mayStart`, none running, and the back-off has passed.
    mutating func connectFailed(
        reason: String, at now: HealthMoment, mayStart: Bool, backoff: ChildStartBackoff
    ) -> Bool {
        reachable = false
        lastError = reason
        lastErrorAt = now
        lastObservedAt = now
        startedByManager = false
        guard mayStart, running == nil else { return false }
        if let start = lastAttemptStart, now.seconds(since: start) >= backoff.resetAfter { attempts = 0 }
        if attempts > 0, let end = lastAttemptEnd, now.seconds(since: end) < backoff.delay(afterAttempts: attempts) {
            return false
        }
        attempts += 1
        running = Attempt(since: now, pid: nil)
        lastAttemptStart = now
        startPending = true
        return true
    }

    /// The attempt's process runs as `pid`.
    mutating func attemptRunning(pid: Int) {
        running?.pid = pid
    }

    /// The attempt ended: `result` says how; `succeeded` when the command did its part (the
    /// next connection tells whether the child came up).
    mutating func attemptEnded(result: String, succeeded: Bool, at now: HealthMoment) {
        guard running != nil else { return }
        running = nil
        lastAttemptEnd = now
        lastResult = result
        if !succeeded { startPending = false }
    }

    /// Seconds until another attempt may start (0: at the next failure); nil while one runs.
    func nextAttemptIn(at now: HealthMoment, backoff: ChildStartBackoff) -> Double? {
        guard running == nil else { return nil }
        guard attempts > 0, let end = lastAttemptEnd else { return 0 }
        if let start = lastAttemptStart, now.seconds(since: start) >= backoff.resetAfter { return 0 }
        return max(0, backoff.delay(afterAttempts: attempts) - now.seconds(since: end))
    }

    /// The status of the child `entry` describes; `unavailable` says why it is not started.
    func status(
        of entry: MilterCatalogEntry, unavailable: String?, at now: HealthMoment, backoff: ChildStartBackoff
    ) -> ChildStatus {
        let start = ChildStartStatus(
            command: entry.command, unavailable: unavailable, attempts: attempts, runningPID: running?.pid,
            runningSince: running?.since.wall, lastAttemptAt: lastAttemptStart?.wall, lastResult: lastResult,
            nextAttemptInSeconds: unavailable == nil ? nextAttemptIn(at: now, backoff: backoff) : nil)
        return ChildStatus(
            name: entry.name, enabled: entry.enabled, connectionSpec: entry.connectionSpec, reachable: reachable,
            lastError: lastError, lastErrorAt: lastErrorAt?.wall, lastSuccessAt: lastSuccessAt?.wall,
            startedByManager: startedByManager, start: start)
    }
}
