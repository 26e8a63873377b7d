/// `log.*`: level, file and syslog.
///
/// The values live in a `SettingStore` filled from `LogKey.all`; the properties below are
/// typed shortcuts to it (a key needs none: `settings[LogKey.someKey]` reads any key).
public struct LogSettings: Hashable, Sendable {
    /// The values of every `LogKey` key.
    public var store: SettingStore

    /// Every key at its default for the platform of `defaults`.
    public init(defaults: PlatformDefaults) {
        store = SettingStore(keys: LogKey.all, defaults: defaults)
    }

    /// The setting of `key`.
    public subscript<Value>(key: ConfigurationKey<Value>) -> Setting<Value> {
        get { store[key] }
        set { store[key] = newValue }
    }

    /// `LogKey.level`.
    public var level: Setting<LogLevel> {
        get { store[LogKey.level] }
        set { store[LogKey.level] = newValue }
    }

    /// `LogKey.path`.
    public var path: Setting<String?> {
        get { store[LogKey.path] }
        set { store[LogKey.path] = newValue }
    }

    /// `LogKey.useSyslog`.
    public var useSyslog: Setting<Bool> {
        get { store[LogKey.useSyslog] }
        set { store[LogKey.useSyslog] = newValue }
    }

    /// `LogKey.syslogFacility`.
    public var syslogFacility: Setting<SyslogFacility> {
        get { store[LogKey.syslogFacility] }
        set { store[LogKey.syslogFacility] = newValue }
    }
}
