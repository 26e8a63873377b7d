/// One child milter in `status` and `children`.
public struct ChildStatus: Hashable, Sendable {
    /// `define_milter` name.
    public var name: String
    /// `milter.enabled`.
    public var enabled: Bool
    /// `milter.connection_spec`, nil when none is set.
    public var connectionSpec: String?
    /// Whether the last connection (of a session, or of a status check) succeeded; nil when
    /// none was tried since the daemon started.
    public var reachable: Bool?
    /// The last connection failure, nil when there was none.
    public var lastError: String?
    /// When it happened (seconds since the epoch).
    public var lastErrorAt: Double?
    /// When a connection last succeeded.
    public var lastSuccessAt: Double?
    /// Whether the manager started the child that answers now (its command ran and the child
    /// has been reachable since, with no failure in between).
    public var startedByManager: Bool
    /// Starting it on demand.
    public var start: ChildStartStatus

    /// A child's status.
    public init(
        name: String, enabled: Bool, connectionSpec: String?, reachable: Bool?, lastError: String?,
        lastErrorAt: Double?, lastSuccessAt: Double?, startedByManager: Bool, start: ChildStartStatus
    ) {
        self.name = name
        self.enabled = enabled
        self.connectionSpec = connectionSpec
        self.reachable = reachable
        self.lastError = lastError
        self.lastErrorAt = lastErrorAt
        self.lastSuccessAt = lastSuccessAt
        self.startedByManager = startedByManager
        self.start = start
    }

    /// The JSON object (key order fixed).
    public var json: JSONValue {
        .object([
            ("name", .string(name)),
            ("enabled", .bool(enabled)),
            ("connection_spec", .optional(connectionSpec)),
            ("reachable", reachable.map(JSONValue.bool) ?? .null),
            ("last_error", .optional(lastError)),
            ("last_error_at", .optional(lastErrorAt.map(UTCTime.iso8601))),
            ("last_success_at", .optional(lastSuccessAt.map(UTCTime.iso8601))),
            ("started_by_manager", .bool(startedByManager)),
            ("start", start.json),
        ])
    }

    /// Reads what `json` writes; nil when a required member is missing.
    public init?(json: JSONValue) {
        guard let name = json["name"]?.stringValue, let enabled = json["enabled"]?.boolValue,
            let startedByManager = json["started_by_manager"]?.boolValue
        else { return nil }
        self.name = name
        self.enabled = enabled
        connectionSpec = json["connection_spec"]?.stringValue
        reachable = json["reachable"]?.boolValue
        lastError = json["last_error"]?.stringValue
        lastErrorAt = json["last_error_at"]?.stringValue.flatMap(UTCTime.parse)
        lastSuccessAt = json["last_success_at"]?.stringValue.flatMap(UTCTime.parse)
        self.startedByManager = startedByManager
        start = json["start"].flatMap(ChildStartStatus.init(json:)) ?? ChildStartStatus(command: nil, unavailable: nil)
    }
}

/// Starting a child on demand (`security.privilege_mode`, `milter.command`): whether it can
/// be, and the attempts so far.
public struct ChildStartStatus: Hashable, Sendable {
    /// The command line as configured (`command` + `command_options`), nil when none.
    public var command: String?
    /// Why the manager does not start it (no command, privilege mode off, no launcher), nil
    /// when it does.
    public var unavailable: String?
    /// Attempts since the child was last reachable for long (the back-off grows with them).
    public var attempts: Int
    /// The process of an attempt still running, if any.
    public var runningPID: Int?
    /// When the running attempt started.
    public var runningSince: Double?
    /// When the last attempt started.
    public var lastAttemptAt: Double?
    /// How the last finished attempt ended (`exited with status 0`, `refused: ...`).
    public var lastResult: String?
    /// Seconds until another attempt may start (0: at the next failed connection); nil while
    /// one runs or when none may.
    public var nextAttemptInSeconds: Double?

    /// A start status.
    public init(
        command: String?, unavailable: String?, attempts: Int = 0, runningPID: Int? = nil, runningSince: Double? = nil,
        lastAttemptAt: Double? = nil, lastResult: String? = nil, nextAttemptInSeconds: Double? = nil
    ) {
        self.command = command
        self.unavailable = unavailable
        self.attempts = attempts
        self.runningPID = runningPID
        self.runningSince = runningSince
        self.lastAttemptAt = lastAttemptAt
        self.lastResult = lastResult
        self.nextAttemptInSeconds = nextAttemptInSeconds
    }

    /// The JSON object.
    public var json: JSONValue {
        .object([
            ("command", .optional(command)),
            ("available", .bool(unavailable == nil)),
            ("unavailable_reason", .optional(unavailable)),
            ("attempts", .integer(attempts)),
            ("running_pid", runningPID.map(JSONValue.integer) ?? .null),
            ("running_since", .optional(runningSince.map(UTCTime.iso8601))),
            ("last_attempt_at", .optional(lastAttemptAt.map(UTCTime.iso8601))),
            ("last_result", .optional(lastResult)),
            ("next_attempt_in_seconds", nextAttemptInSeconds.map(JSONValue.number) ?? .null),
        ])
    }

    /// Reads what `json` writes.
    public init?(json: JSONValue) {
        guard case .object = json else { return nil }
        command = json["command"]?.stringValue
        unavailable = json["unavailable_reason"]?.stringValue
        attempts = json["attempts"]?.intValue ?? 0
        runningPID = json["running_pid"]?.intValue
        runningSince = json["running_since"]?.stringValue.flatMap(UTCTime.parse)
        lastAttemptAt = json["last_attempt_at"]?.stringValue.flatMap(UTCTime.parse)
        lastResult = json["last_result"]?.stringValue
        nextAttemptInSeconds = json["next_attempt_in_seconds"]?.numberValue
    }
}
