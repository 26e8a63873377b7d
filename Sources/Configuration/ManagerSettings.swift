/// `manager.*`: the MTA-facing listener and the process.
public struct ManagerSettings: Hashable, Sendable {
    /// `manager.connection_spec` (`-s`, `--connection-spec`).
    public var connectionSpec: Setting<WrittenConnectionSpec>
    /// `manager.unix_socket_mode` (0...0o777; `--unix-socket-mode`).
    public var unixSocketMode: Setting<Int>
    /// `manager.unix_socket_group` (`--unix-socket-group`).
    public var unixSocketGroup: Setting<String?>
    /// `manager.remove_unix_socket_on_create`.
    public var removeUnixSocketOnCreate: Setting<Bool>
    /// `manager.remove_unix_socket_on_close`.
    public var removeUnixSocketOnClose: Setting<Bool>
    /// `manager.daemon` (`--daemon`, `--no-daemon`).
    public var daemon: Setting<Bool>
    /// `manager.pid_file` (`--pid-file`).
    public var pidFile: Setting<String?>
    /// `manager.maintenance_interval` in sessions; 0 = never.
    public var maintenanceInterval: Setting<Int>
    /// `manager.suspend_time_on_unacceptable` in seconds.
    public var suspendTimeOnUnacceptable: Setting<Int>
    /// `manager.max_connections`; 0 = unlimited.
    public var maxConnections: Setting<Int>
    /// `manager.max_file_descriptors`; 0 = the system default.
    public var maxFileDescriptors: Setting<Int>
    /// `manager.custom_configuration_directory`.
    public var customConfigurationDirectory: Setting<String?>
    /// `manager.fallback_status`.
    public var fallbackStatus: Setting<FallbackStatus>
    /// `manager.fallback_status_at_disconnect`.
    public var fallbackStatusAtDisconnect: Setting<FallbackStatus>
    /// `manager.event_loop_backend` (`--event-loop-backend`).
    public var eventLoopBackend: Setting<EventLoopBackend>
    /// `manager.n_workers` (0...1000; `--n-workers`).
    public var nWorkers: Setting<Int>
    /// `manager.packet_buffer_size` in bytes; 0 = off (`--packet-buffer-size`).
    public var packetBufferSize: Setting<Int>
    /// `manager.connection_check_interval` in seconds; 0 = no check.
    public var connectionCheckInterval: Setting<Int>
    /// `manager.chunk_size` (1...65535).
    public var chunkSize: Setting<Int>
    /// `manager.max_pending_finished_sessions` (`--max-pending-finished-sessions`).
    public var maxPendingFinishedSessions: Setting<Int>

    /// The defaults for `platform`.
    public init(defaults: PlatformDefaults) {
        connectionSpec = Setting(defaults.connectionSpec)
        unixSocketMode = Setting(0o660)
        unixSocketGroup = Setting(defaults.unixSocketGroup)
        removeUnixSocketOnCreate = Setting(true)
        removeUnixSocketOnClose = Setting(true)
        daemon = Setting(false)
        pidFile = Setting(defaults.pidFile)
        maintenanceInterval = Setting(10)
        suspendTimeOnUnacceptable = Setting(5)
        maxConnections = Setting(0)
        maxFileDescriptors = Setting(0)
        customConfigurationDirectory = Setting(nil)
        fallbackStatus = Setting(.accept)
        fallbackStatusAtDisconnect = Setting(.temporaryFailure)
        eventLoopBackend = Setting(.glib)
        nWorkers = Setting(0)
        packetBufferSize = Setting(0)
        connectionCheckInterval = Setting(0)
        chunkSize = Setting(65535)
        maxPendingFinishedSessions = Setting(0)
    }
}
