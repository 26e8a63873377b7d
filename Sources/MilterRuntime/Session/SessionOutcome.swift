/// The status a session's `[session][end]` statistics line reports (runtime.md §5.2): the last
/// verdict sent to the MTA, or `abort` when the MTA aborted a transaction that was passing.
enum SessionOutcome: Hashable {
    /// No verdict was sent yet.
    case undecided
    /// The last verdict sent to the MTA.
    case answered(MilterStatus)
    /// The MTA aborted a transaction while it was passing.
    case aborted

    /// Whether the session is passing: nothing said yet, or only `continue`.
    var isPassing: Bool {
        switch self {
        case .undecided, .answered(.continue): return true
        case .answered, .aborted: return false
        }
    }

    /// The statistics word. An interface: the log analyzer reads these words.
    var nick: String {
        switch self {
        case .undecided: return "pass"
        case .answered(let status): return status.nick
        case .aborted: return "abort"
        }
    }
}
