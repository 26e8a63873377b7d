/// The `manager.*` keys (detection.md 4.4): the MTA-facing listener and the process. The order
/// of `all` is the order `--show-config` prints them in.
public enum ManagerKey {
    /// `manager.connection_spec` (`-s`).
    public static let connectionSpec = ConfigurationKey(
        "manager", "connection_spec", .connectionSpec, platformDefault: \.connectionSpec,
        help: "The socket the MTA connects to (unix:PATH, inet:PORT@HOST, ...).")
    /// `manager.unix_socket_mode` (`--unix-socket-mode`).
    public static let unixSocketMode = ConfigurationKey(
        "manager", "unix_socket_mode", .socketMode, default: 0o660,
        help: "The mode of the unix socket: octal (0660) or symbolic (u=rw,g=rw).")
    /// `manager.unix_socket_group` (`--unix-socket-group`).
    public static let unixSocketGroup = ConfigurationKey(
        "manager", "unix_socket_group", .optionalString, platformDefault: \.unixSocketGroup,
        help: "The group of the unix socket.")
    /// `manager.remove_unix_socket_on_create`.
    public static let removeUnixSocketOnCreate = ConfigurationKey(
        "manager", "remove_unix_socket_on_create", .bool, default: true,
        help: "Remove a stale socket (one nothing listens on) before listening.")
    /// `manager.remove_unix_socket_on_close`.
    public static let removeUnixSocketOnClose = ConfigurationKey(
        "manager", "remove_unix_socket_on_close", .bool, default: true,
        help: "Remove the unix socket when the daemon stops.")
    /// `manager.daemon` (`--daemon`, `--no-daemon`).
    public static let daemon = ConfigurationKey(
        "manager", "daemon", .bool, default: false,
        help: "Run as a daemon (--no-daemon: stay in the foreground).")
    /// `manager.pid_file` (`--pid-file`).
    public static let pidFile = ConfigurationKey(
        "manager", "pid_file", .optionalString, platformDefault: \.pidFile, help: "The PID file.")
    /// `manager.maintenance_interval`: sessions between maintenances; 0 = never.
    public static let maintenanceInterval = ConfigurationKey(
        "manager", "maintenance_interval", .integer(NumericLimits.sessionCount, nilValue: 0, nilPrints: true),
        default: 10, help: "Sessions between maintenance runs (0: never).",
        support: .ignored(
            message: "manager.maintenance_interval is ignored: the [sessions][finished] statistics line is "
                + "logged after every session and there is no periodic memory report",
            instead: "remove it", changesBehaviour: false))
    /// `manager.suspend_time_on_unacceptable`: seconds accepting pauses when out of descriptors.
    public static let suspendTimeOnUnacceptable = ConfigurationKey(
        "manager", "suspend_time_on_unacceptable", .integer(NumericLimits.suspendSeconds, nilValue: 5),
        default: 5, help: "Seconds to stop accepting when no connection can be accepted (out of descriptors).")
    /// `manager.max_connections`; 0 = unlimited.
    public static let maxConnections = ConfigurationKey(
        "manager", "max_connections", .integer(NumericLimits.connectionCount, nilValue: 0), default: 0,
        help: "Sessions served at once (0: unlimited).")
    /// `manager.max_file_descriptors`; 0 = the system's limit.
    public static let maxFileDescriptors = ConfigurationKey(
        "manager", "max_file_descriptors", .integer(NumericLimits.fileDescriptors, nilValue: 0), default: 0,
        help: "The descriptor limit to set at start (0: leave it).")
    /// `manager.custom_configuration_directory`.
    public static let customConfigurationDirectory = ConfigurationKey(
        "manager", "custom_configuration_directory", .optionalString, default: nil,
        help: "Where the original's controller saved configuration.",
        support: .ignored(
            message: "manager.custom_configuration_directory is ignored: no controller saves configuration here",
            instead: "put local settings in milter-manager.local.conf", changesBehaviour: false,
            isActive: { $0 != nil }))
    /// `manager.fallback_status`: the MTA's answer when no child can answer.
    public static let fallbackStatus = ConfigurationKey(
        "manager", "fallback_status", .status, default: .accept,
        help: "The answer to the MTA when no child can be used.")
    /// `manager.fallback_status_at_disconnect`.
    public static let fallbackStatusAtDisconnect = ConfigurationKey(
        "manager", "fallback_status_at_disconnect", .status, default: .temporaryFailure,
        help: "The answer when the SMTP client went away (the original's disconnection checker).",
        support: .ignored(
            message: "manager.fallback_status_at_disconnect is ignored: it only applies to the disconnection "
                + "checker, which does not exist here",
            instead: "remove it", changesBehaviour: false))
    /// `manager.event_loop_backend` (`--event-loop-backend`).
    public static let eventLoopBackend = ConfigurationKey(
        "manager", "event_loop_backend", SettingType<EventLoopBackend>.choice(), default: .glib,
        help: "The event loop backend: glib or libev (accepted for compatibility).",
        support: .ignored(
            message: "manager.event_loop_backend is ignored: the event loop is SwiftNIO's (epoll)",
            instead: "remove it", changesBehaviour: false))
    /// `manager.n_workers` (`--n-workers`).
    public static let nWorkers = ConfigurationKey(
        "manager", "n_workers", .integer(NumericLimits.workers, nilValue: 0), default: 0,
        help: "Worker processes (0-1000; accepted for compatibility).",
        support: .ignored(
            message: "manager.n_workers is ignored: SwiftNIO already runs one event loop per core and spreads "
                + "sessions over them",
            instead: "remove it", changesBehaviour: false, isActive: { $0 != 0 }))
    /// `manager.packet_buffer_size` (`--packet-buffer-size`).
    public static let packetBufferSize = ConfigurationKey(
        "manager", "packet_buffer_size", .integer(NumericLimits.bufferBytes, nilValue: 0), default: 0,
        help: "Bytes of end-of-message packets to buffer (0 = off; accepted for compatibility).",
        support: .ignored(
            message: "manager.packet_buffer_size is ignored: each reply is written in one system call as soon "
                + "as it is known",
            instead: "remove it", changesBehaviour: false, isActive: { $0 != 0 }))
    /// `manager.connection_check_interval`; 0 = no check.
    public static let connectionCheckInterval = ConfigurationKey(
        "manager", "connection_check_interval", .integer(NumericLimits.intervalSeconds, nilValue: 0), default: 0,
        help: "Seconds between checks that SMTP clients are still connected (0: none).",
        support: .ignored(
            message: "manager.connection_check_interval is ignored: there is no disconnection checker; a "
                + "session ends when the MTA closes its milter connection (Postfix does when its client goes)",
            instead: "remove it", changesBehaviour: true, isActive: { $0 != 0 }))
    /// `manager.chunk_size` (1...65535).
    public static let chunkSize = ConfigurationKey(
        "manager", "chunk_size", .chunkSize, default: 65535,
        help: "The largest body chunk sent to a child, in bytes (at most 65535).")
    /// `manager.body_spool_threshold`: bodies larger than this go to a file.
    public static let bodySpoolThreshold = ConfigurationKey(
        "manager", "body_spool_threshold", .integer(NumericLimits.spoolBytes, nilValue: 1 << 20), default: 1 << 20,
        help: "Body bytes kept in memory per message; a larger body goes to an unlinked file in "
            + "manager.body_spool_directory (a failure there gives the message manager.fallback_status).")
    /// `manager.body_spool_directory`: where big bodies go.
    public static let bodySpoolDirectory = ConfigurationKey(
        "manager", "body_spool_directory", .absoluteDirectory, default: "/var/tmp",
        help: "The directory of the body spool files (unlinked at once, mode 0600).")
    /// `manager.max_pending_finished_sessions` (`--max-pending-finished-sessions`).
    public static let maxPendingFinishedSessions = ConfigurationKey(
        "manager", "max_pending_finished_sessions", .integer(NumericLimits.sessionCount, nilValue: 0), default: 0,
        help: "Finished sessions kept before they are disposed (0 = only when idle; accepted for compatibility).",
        support: .ignored(
            message: "manager.max_pending_finished_sessions is ignored: finished sessions are freed at once",
            instead: "remove it", changesBehaviour: false, isActive: { $0 != 0 }))

    /// Every `manager.*` key, in printing order.
    /// `manager.metrics_connection_spec`; nil: no metrics listener.
    public static let metricsConnectionSpec = ConfigurationKey(
        "manager", "metrics_connection_spec", .optionalConnectionSpec, default: nil,
        help: "Where Prometheus scrapes /metrics over HTTP (nil: no listener).")
    public static let all: [AnyConfigurationKey] = [
        connectionSpec.erased, unixSocketMode.erased, unixSocketGroup.erased, removeUnixSocketOnCreate.erased,
        removeUnixSocketOnClose.erased, daemon.erased, pidFile.erased, maintenanceInterval.erased,
        suspendTimeOnUnacceptable.erased, maxConnections.erased, maxFileDescriptors.erased,
        customConfigurationDirectory.erased, fallbackStatus.erased, fallbackStatusAtDisconnect.erased,
        eventLoopBackend.erased, nWorkers.erased, packetBufferSize.erased, connectionCheckInterval.erased,
        chunkSize.erased, maxPendingFinishedSessions.erased, metricsConnectionSpec.erased, bodySpoolThreshold.erased,
        bodySpoolDirectory.erased,
    ]
}
