/// What to answer when a child fails (`manager.fallback_status`, `milter.fallback_status`,
/// `manager.fallback_status_at_disconnect`).
public enum FallbackStatus: String, Hashable, Sendable, CaseIterable {
    /// Let the message through.
    case accept
    /// Reject it (5xx).
    case reject
    /// Ask the client to retry later (4xx).
    case temporaryFailure = "temporary-failure"
    /// Accept and throw away.
    case discard

    /// Reads a status nick: case-insensitive, `_` accepted for `-` (`TEMPORARY_FAILURE`).
    public init?(nick: String) {
        self.init(rawValue: nick.lowercased().replacingUnderscores())
    }

    /// The nick as written in the configuration (`temporary-failure`).
    public var nick: String { rawValue }
}

extension String {
    /// The text with every `_` turned into `-`.
    func replacingUnderscores() -> String {
        String(map { $0 == "_" ? "-" : $0 })
    }
}
