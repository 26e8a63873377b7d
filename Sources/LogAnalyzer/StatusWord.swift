/// A status word of a `[session][end]` or `[milter][end]` statistics line (runtime.md §5.2):
/// what the manager answered the MTA, or what a child answered the manager.
public enum StatusWord: String, CaseIterable, Hashable, Sendable {
    /// Nothing special (continue, or no reply that decides).
    case pass
    /// `accept`.
    case accept
    /// `reject` (a 5xx reply included).
    case reject
    /// `temporary-failure` (a 4xx reply included).
    case temporaryFailure = "temporary-failure"
    /// `discard`.
    case discard
    /// `skip` (no more body wanted).
    case skip
    /// `progress` (still working).
    case progress
    /// `quarantine`.
    case quarantine
    /// Stopped by an applicable condition (children only).
    case stop
    /// The milter failed, timed out or could not be reached.
    case error
    /// The session was aborted.
    case abort

    /// The status data source a line with this word counts in. `skip` and `progress` decide
    /// nothing, so they count as `pass`, as does `stop` where the file has no `stop` source (the
    /// manager's own status file, which the original lays out without it).
    public func dataSource(hasStop: Bool) -> StatusSource {
        switch self {
        case .pass, .skip, .progress: return .pass
        case .accept: return .accept
        case .reject: return .reject
        case .temporaryFailure: return .temporaryFailure
        case .discard: return .discard
        case .quarantine: return .quarantine
        case .stop: return hasStop ? .stop : .pass
        case .error: return .error
        case .abort: return .abort
        }
    }
}

/// A data source of the status RRD files (`milter-manager.status.rrd`, `milter.status.NAME.rrd`),
/// in the original's order, with the graph's label and colour.
public enum StatusSource: String, CaseIterable, Hashable, Sendable {
    /// Sessions that ended without a deciding reply.
    case pass
    /// Accepted.
    case accept
    /// Rejected.
    case reject
    /// Discarded.
    case discard
    /// Temporarily failed.
    case temporaryFailure = "temporary_failure"
    /// Quarantined.
    case quarantine
    /// Aborted.
    case abort
    /// Failed.
    case error
    /// Stopped by an applicable condition (children's files only).
    case stop

    /// The manager's own file has every source but `stop`.
    public static let manager: [StatusSource] = allCases.filter { $0 != .stop }

    /// The legend label.
    public var label: String {
        switch self {
        case .pass: return "Pass"
        case .accept: return "Accept"
        case .reject: return "Reject"
        case .discard: return "Discard"
        case .temporaryFailure: return "Temp-Fail"
        case .quarantine: return "Quarantine"
        case .abort: return "Abort"
        case .error: return "Error"
        case .stop: return "Stop"
        }
    }

    /// The area colour, as the original draws it (so that graphs read the same after a switch).
    public var colour: String {
        switch self {
        case .pass: return "#0000ff"
        case .accept: return "#00ff00"
        case .reject: return "#ff0000"
        case .discard: return "#ffd400"
        case .temporaryFailure: return "#888888"
        case .quarantine: return "#a52a2a"
        case .abort: return "#ff9999"
        case .error: return "#ff00ff"
        case .stop: return "#99ffff"
        }
    }
}
