/// `controller.*`: the control socket (`milter-manager-ctl status`, `reload`, `reopen-logs`).
///
/// The values live in a `SettingStore` filled from `ControllerKey.all`; the properties below are
/// typed shortcuts to it (a key needs none: `settings[ControllerKey.someKey]` reads any key).
public struct ControllerSettings: Hashable, Sendable {
    /// The values of every `ControllerKey` key.
    public var store: SettingStore

    /// Every key at its default for the platform of `defaults`.
    public init(defaults: PlatformDefaults) {
        store = SettingStore(keys: ControllerKey.all, defaults: defaults)
    }

    /// The setting of `key`.
    public subscript<Value>(key: ConfigurationKey<Value>) -> Setting<Value> {
        get { store[key] }
        set { store[key] = newValue }
    }

    /// `ControllerKey.connectionSpec`.
    public var connectionSpec: Setting<WrittenConnectionSpec?> {
        get { store[ControllerKey.connectionSpec] }
        set { store[ControllerKey.connectionSpec] = newValue }
    }

    /// `ControllerKey.unixSocketMode`.
    public var unixSocketMode: Setting<Int> {
        get { store[ControllerKey.unixSocketMode] }
        set { store[ControllerKey.unixSocketMode] = newValue }
    }

    /// `ControllerKey.unixSocketGroup`.
    public var unixSocketGroup: Setting<String?> {
        get { store[ControllerKey.unixSocketGroup] }
        set { store[ControllerKey.unixSocketGroup] = newValue }
    }

    /// `ControllerKey.removeUnixSocketOnCreate`.
    public var removeUnixSocketOnCreate: Setting<Bool> {
        get { store[ControllerKey.removeUnixSocketOnCreate] }
        set { store[ControllerKey.removeUnixSocketOnCreate] = newValue }
    }

    /// `ControllerKey.removeUnixSocketOnClose`.
    public var removeUnixSocketOnClose: Setting<Bool> {
        get { store[ControllerKey.removeUnixSocketOnClose] }
        set { store[ControllerKey.removeUnixSocketOnClose] = newValue }
    }
}
