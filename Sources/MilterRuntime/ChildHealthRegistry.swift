import MilterControl
import NIOConcurrencyHelpers

/// The children's health, shared by every session: whether each child answered its last
/// connection, its last error and success, and starting it on demand. Sessions report their
/// connections (`connected`, `connectFailed`); a failed one may start the child through the
/// injected starter (the daemon's launcher), at most one attempt at a time per child, with a
/// back-off between attempts (`ChildStartBackoff`). Meanwhile sessions go on without it: the
/// child's fallback status applies, as for any child that cannot be reached.
public final class ChildHealthRegistry: Sendable {
    /// Whether the manager can start children at all.
    public enum StartAvailability: Hashable, Sendable {
        /// Yes: privilege mode is on and the launcher runs.
        case available
        /// No, for this reason (shown in the status of every child with a command).
        case unavailable(String)
    }

    private struct State {
        var catalog: [MilterCatalogEntry] = []
        var records: [String: ChildHealthRecord] = [:]
        var availability = StartAvailability.unavailable("security.privilege_mode is off")
        var starter: (@Sendable (_ name: String, _ reason: String) -> Void)?
    }

    private let state = NIOLockedValueBox(State())
    private let clock: @Sendable () -> HealthMoment
    /// The waits between attempts.
    public let backoff: ChildStartBackoff

    /// A registry reading time from `clock`.
    public init(clock: @escaping @Sendable () -> HealthMoment, backoff: ChildStartBackoff = ChildStartBackoff()) {
        self.clock = clock
        self.backoff = backoff
    }

    /// The children of the configuration in force (at start and after every reload): records
    /// of children no longer defined are dropped, the others kept.
    public func configure(_ catalog: [MilterCatalogEntry]) {
        state.withLockedValue { state in
            state.catalog = catalog
            let names = Set(catalog.map(\.name))
            state.records = state.records.filter { names.contains($0.key) }
        }
    }

    /// Whether children can be started, and who starts them (`starter` gets the child's name
    /// and the failure that made the attempt begin, and must report back with
    /// `attemptRunning` and `attemptEnded`).
    public func setStarting(
        _ availability: StartAvailability, starter: (@Sendable (_ name: String, _ reason: String) -> Void)? = nil
    ) {
        state.withLockedValue { state in
            state.availability = availability
            if let starter { state.starter = starter }
        }
    }

    /// A connection to `name` succeeded.
    public func connected(_ name: String) {
        let now = clock()
        state.withLockedValue { $0.records[name, default: ChildHealthRecord()].connected(at: now) }
    }

    /// A connection to `name` failed; a session's failure (`mayStart`) may start the child.
    public func connectFailed(_ name: String, reason: String, mayStart: Bool = true) {
        let now = clock()
        let backoff = self.backoff
        let starter = state.withLockedValue { state -> (@Sendable (String, String) -> Void)? in
            let startable =
                state.availability == .available
                && state.catalog.contains { $0.name == name && $0.command != nil && $0.enabled }
            let begins = state.records[name, default: ChildHealthRecord()].connectFailed(
                reason: reason, at: now, mayStart: mayStart && startable && state.starter != nil, backoff: backoff)
            return begins ? state.starter : nil
        }
        starter?(name, reason)
    }

    /// The attempt to start `name` runs as process `pid`.
    public func attemptRunning(_ name: String, pid: Int) {
        state.withLockedValue { $0.records[name]?.attemptRunning(pid: pid) }
    }

    /// The attempt to start `name` ended (`succeeded`: its command did its part).
    public func attemptEnded(_ name: String, result: String, succeeded: Bool) {
        let now = clock()
        state.withLockedValue { $0.records[name]?.attemptEnded(result: result, succeeded: succeeded, at: now) }
    }

    /// Every attempt still running ends with `result` (the launcher is gone).
    public func endAllAttempts(result: String) {
        let now = clock()
        state.withLockedValue { state in
            for name in state.records.keys where state.records[name]?.running != nil {
                state.records[name]?.attemptEnded(result: result, succeeded: false, at: now)
            }
        }
    }

    /// The enabled children whose last connection is older than `seconds` (or that were never
    /// tried): what a status check connects to.
    public func staleChildren(olderThan seconds: Double) -> Set<String> {
        let now = clock()
        return state.withLockedValue { state in
            Set(
                state.catalog.filter(\.enabled).map(\.name).filter { name in
                    guard let observed = state.records[name]?.lastObservedAt else { return true }
                    return now.seconds(since: observed) >= seconds
                })
        }
    }

    /// The status of every defined child, in order.
    public func snapshot() -> [ChildStatus] {
        let now = clock()
        let backoff = self.backoff
        return state.withLockedValue { state in
            state.catalog.map { entry in
                var unavailable: String?
                if entry.command != nil {
                    if case .unavailable(let reason) = state.availability {
                        unavailable = reason
                    } else if !entry.enabled {
                        unavailable = "the milter is disabled"
                    }
                }
                return (state.records[entry.name] ?? ChildHealthRecord()).status(
                    of: entry, unavailable: unavailable, at: now, backoff: backoff)
            }
        }
    }
}
