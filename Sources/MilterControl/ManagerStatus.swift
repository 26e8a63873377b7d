/// What `milter-manager-ctl status` shows: the daemon, its configuration, its sessions, the
/// launcher and every child. `json` is the `status --json` object (interfaces.md: at least
/// `version`, `uptime_seconds`, `sessions_in_flight`, `sessions_finished`, `children`).
public struct ManagerStatus: Hashable, Sendable {
    /// The configuration in force.
    public struct LoadedConfiguration: Hashable, Sendable {
        /// The files read, in order (empty: the built-in default).
        public var files: [String]
        /// When it was loaded (seconds since the epoch).
        public var loadedAt: Double

        /// A loaded configuration.
        public init(files: [String], loadedAt: Double) {
            self.files = files
            self.loadedAt = loadedAt
        }
    }

    /// The last reload (SIGHUP or `reload`).
    public struct LastReload: Hashable, Sendable {
        /// When it ended.
        public var at: Double
        /// Whether the new configuration came into force.
        public var loaded: Bool
        /// Why not.
        public var reason: String?

        /// A reload's outcome.
        public init(at: Double, loaded: Bool, reason: String?) {
            self.at = at
            self.loaded = loaded
            self.reason = reason
        }
    }

    /// The root process that starts children (privilege mode).
    public struct Launcher: Hashable, Sendable {
        /// Its process id.
        public var pid: Int
        /// Whether it still answers.
        public var running: Bool
        /// What keeps it from starting children (e.g. a configuration file others may write).
        public var problem: String?

        /// A launcher's state.
        public init(pid: Int, running: Bool, problem: String?) {
            self.pid = pid
            self.running = running
            self.problem = problem
        }
    }

    /// `milter-manager VERSION`'s version.
    public var version: String
    /// The daemon's process id.
    public var pid: Int
    /// When the status was taken (seconds since the epoch).
    public var time: Double
    /// Seconds since the daemon started.
    public var uptimeSeconds: Double
    /// MTA sessions being served.
    public var sessionsInFlight: Int
    /// MTA sessions finished since start.
    public var sessionsFinished: Int
    /// The configuration in force.
    public var configuration: LoadedConfiguration
    /// The last reload, nil when there was none.
    public var lastReload: LastReload?
    /// `security.privilege_mode` in force.
    public var privilegeMode: Bool
    /// The launcher, nil when there is none (privilege mode was off at start).
    public var launcher: Launcher?
    /// Every defined milter, in order.
    public var children: [ChildStatus]

    /// A status.
    public init(
        version: String, pid: Int, time: Double, uptimeSeconds: Double, sessionsInFlight: Int, sessionsFinished: Int,
        configuration: LoadedConfiguration, lastReload: LastReload?, privilegeMode: Bool, launcher: Launcher?,
        children: [ChildStatus]
    ) {
        self.version = version
        self.pid = pid
        self.time = time
        self.uptimeSeconds = uptimeSeconds
        self.sessionsInFlight = sessionsInFlight
        self.sessionsFinished = sessionsFinished
        self.configuration = configuration
        self.lastReload = lastReload
        self.privilegeMode = privilegeMode
        self.launcher = launcher
        self.children = children
    }

    /// The `status --json` object.
    public var json: JSONValue {
        .object([
            ("version", .string(version)),
            ("pid", .integer(pid)),
            ("time", .string(UTCTime.iso8601(time))),
            ("uptime_seconds", .number((uptimeSeconds * 1000).rounded() / 1000)),
            ("sessions_in_flight", .integer(sessionsInFlight)),
            ("sessions_finished", .integer(sessionsFinished)),
            (
                "configuration",
                .object([
                    ("files", .array(configuration.files.map(JSONValue.string))),
                    ("built_in_default", .bool(configuration.files.isEmpty)),
                    ("loaded_at", .string(UTCTime.iso8601(configuration.loadedAt))),
                ])
            ),
            (
                "last_reload",
                lastReload.map {
                    .object([
                        ("at", .string(UTCTime.iso8601($0.at))), ("loaded", .bool($0.loaded)),
                        ("reason", .optional($0.reason)),
                    ])
                } ?? .null
            ),
            ("privilege_mode", .bool(privilegeMode)),
            (
                "launcher",
                launcher.map {
                    .object([
                        ("pid", .integer($0.pid)), ("running", .bool($0.running)), ("problem", .optional($0.problem)),
                    ])
                } ?? .null
            ),
            ("children", .array(children.map(\.json))),
        ])
    }

    /// Reads what `json` writes; nil when a required member is missing.
    public init?(json: JSONValue) {
        guard let version = json["version"]?.stringValue, let uptime = json["uptime_seconds"]?.numberValue,
            let inFlight = json["sessions_in_flight"]?.intValue, let finished = json["sessions_finished"]?.intValue,
            let children = json["children"]?.arrayValue
        else { return nil }
        self.version = version
        pid = json["pid"]?.intValue ?? 0
        time = json["time"]?.stringValue.flatMap(UTCTime.parse) ?? 0
        uptimeSeconds = uptime
        sessionsInFlight = inFlight
        sessionsFinished = finished
        let configuration = json["configuration"]
        self.configuration = LoadedConfiguration(
            files: configuration?["files"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            loadedAt: configuration?["loaded_at"]?.stringValue.flatMap(UTCTime.parse) ?? 0)
        if let reload = json["last_reload"], let loaded = reload["loaded"]?.boolValue {
            lastReload = LastReload(
                at: reload["at"]?.stringValue.flatMap(UTCTime.parse) ?? 0, loaded: loaded,
                reason: reload["reason"]?.stringValue)
        } else {
            lastReload = nil
        }
        privilegeMode = json["privilege_mode"]?.boolValue ?? false
        if let launcher = json["launcher"], let pid = launcher["pid"]?.intValue {
            self.launcher = Launcher(
                pid: pid, running: launcher["running"]?.boolValue ?? false, problem: launcher["problem"]?.stringValue)
        } else {
            launcher = nil
        }
        var parsed: [ChildStatus] = []
        for child in children {
            guard let status = ChildStatus(json: child) else { return nil }
            parsed.append(status)
        }
        self.children = parsed
    }
}
