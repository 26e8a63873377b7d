/// `manager.*`: the MTA-facing listener and the process.
///
/// The values live in a `SettingStore` filled from `ManagerKey.all`; the properties below are
/// typed shortcuts to it (a key needs none: `settings[ManagerKey.someKey]` reads any key).
public struct ManagerSettings: Hashable, Sendable {
    /// The values of every `ManagerKey` key.
    public var store: SettingStore

    /// Every key at its default for the platform of `defaults`.
    public init(defaults: PlatformDefaults) {
        store = SettingStore(keys: ManagerKey.all, defaults: defaults)
    }

    /// The setting of `key`.
    public subscript<Value>(key: ConfigurationKey<Value>) -> Setting<Value> {
        get { store[key] }
        set { store[key] = newValue }
    }

    /// `ManagerKey.connectionSpec`.
    public var connectionSpec: Setting<WrittenConnectionSpec> {
        get { store[ManagerKey.connectionSpec] }
        set { store[ManagerKey.connectionSpec] = newValue }
    }

    /// `ManagerKey.unixSocketMode`.
    public var unixSocketMode: Setting<Int> {
        get { store[ManagerKey.unixSocketMode] }
        set { store[ManagerKey.unixSocketMode] = newValue }
    }

    /// `ManagerKey.unixSocketGroup`.
    public var unixSocketGroup: Setting<String?> {
        get { store[ManagerKey.unixSocketGroup] }
        set { store[ManagerKey.unixSocketGroup] = newValue }
    }

    /// `ManagerKey.removeUnixSocketOnCreate`.
    public var removeUnixSocketOnCreate: Setting<Bool> {
        get { store[ManagerKey.removeUnixSocketOnCreate] }
        set { store[ManagerKey.removeUnixSocketOnCreate] = newValue }
    }

    /// `ManagerKey.removeUnixSocketOnClose`.
    public var removeUnixSocketOnClose: Setting<Bool> {
        get { store[ManagerKey.removeUnixSocketOnClose] }
        set { store[ManagerKey.removeUnixSocketOnClose] = newValue }
    }

    /// `ManagerKey.daemon`.
    public var daemon: Setting<Bool> {
        get { store[ManagerKey.daemon] }
        set { store[ManagerKey.daemon] = newValue }
    }

    /// `ManagerKey.pidFile`.
    public var pidFile: Setting<String?> {
        get { store[ManagerKey.pidFile] }
        set { store[ManagerKey.pidFile] = newValue }
    }

    /// `ManagerKey.maintenanceInterval`.
    public var maintenanceInterval: Setting<Int> {
        get { store[ManagerKey.maintenanceInterval] }
        set { store[ManagerKey.maintenanceInterval] = newValue }
    }

    /// `ManagerKey.suspendTimeOnUnacceptable`.
    public var suspendTimeOnUnacceptable: Setting<Int> {
        get { store[ManagerKey.suspendTimeOnUnacceptable] }
        set { store[ManagerKey.suspendTimeOnUnacceptable] = newValue }
    }

    /// `ManagerKey.maxConnections`.
    public var maxConnections: Setting<Int> {
        get { store[ManagerKey.maxConnections] }
        set { store[ManagerKey.maxConnections] = newValue }
    }

    /// `ManagerKey.maxFileDescriptors`.
    public var maxFileDescriptors: Setting<Int> {
        get { store[ManagerKey.maxFileDescriptors] }
        set { store[ManagerKey.maxFileDescriptors] = newValue }
    }

    /// `ManagerKey.customConfigurationDirectory`.
    public var customConfigurationDirectory: Setting<String?> {
        get { store[ManagerKey.customConfigurationDirectory] }
        set { store[ManagerKey.customConfigurationDirectory] = newValue }
    }

    /// `ManagerKey.fallbackStatus`.
    public var fallbackStatus: Setting<FallbackStatus> {
        get { store[ManagerKey.fallbackStatus] }
        set { store[ManagerKey.fallbackStatus] = newValue }
    }

    /// `ManagerKey.fallbackStatusAtDisconnect`.
    public var fallbackStatusAtDisconnect: Setting<FallbackStatus> {
        get { store[ManagerKey.fallbackStatusAtDisconnect] }
        set { store[ManagerKey.fallbackStatusAtDisconnect] = newValue }
    }

    /// `ManagerKey.eventLoopBackend`.
    public var eventLoopBackend: Setting<EventLoopBackend> {
        get { store[ManagerKey.eventLoopBackend] }
        set { store[ManagerKey.eventLoopBackend] = newValue }
    }

    /// `ManagerKey.nWorkers`.
    public var nWorkers: Setting<Int> {
        get { store[ManagerKey.nWorkers] }
        set { store[ManagerKey.nWorkers] = newValue }
    }

    /// `ManagerKey.packetBufferSize`.
    public var packetBufferSize: Setting<Int> {
        get { store[ManagerKey.packetBufferSize] }
        set { store[ManagerKey.packetBufferSize] = newValue }
    }

    /// `ManagerKey.connectionCheckInterval`.
    public var connectionCheckInterval: Setting<Int> {
        get { store[ManagerKey.connectionCheckInterval] }
        set { store[ManagerKey.connectionCheckInterval] = newValue }
    }

    /// `ManagerKey.chunkSize`.
    public var chunkSize: Setting<Int> {
        get { store[ManagerKey.chunkSize] }
        set { store[ManagerKey.chunkSize] = newValue }
    }

    /// `ManagerKey.bodySpoolThreshold`.
    public var bodySpoolThreshold: Setting<Int> {
        get { store[ManagerKey.bodySpoolThreshold] }
        set { store[ManagerKey.bodySpoolThreshold] = newValue }
    }

    /// `ManagerKey.bodySpoolDirectory`.
    public var bodySpoolDirectory: Setting<String> {
        get { store[ManagerKey.bodySpoolDirectory] }
        set { store[ManagerKey.bodySpoolDirectory] = newValue }
    }

    /// `ManagerKey.maxPendingFinishedSessions`.
    public var maxPendingFinishedSessions: Setting<Int> {
        get { store[ManagerKey.maxPendingFinishedSessions] }
        set { store[ManagerKey.maxPendingFinishedSessions] = newValue }
    }
}
