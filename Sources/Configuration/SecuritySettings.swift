/// `security.*`: privilege mode and the user and group the daemon runs as.
///
/// The values live in a `SettingStore` filled from `SecurityKey.all`; the properties below are
/// typed shortcuts to it (a key needs none: `settings[SecurityKey.someKey]` reads any key).
public struct SecuritySettings: Hashable, Sendable {
    /// The values of every `SecurityKey` key.
    public var store: SettingStore

    /// Every key at its default for the platform of `defaults`.
    public init(defaults: PlatformDefaults) {
        store = SettingStore(keys: SecurityKey.all, defaults: defaults)
    }

    /// The setting of `key`.
    public subscript<Value>(key: ConfigurationKey<Value>) -> Setting<Value> {
        get { store[key] }
        set { store[key] = newValue }
    }

    /// `SecurityKey.privilegeMode`.
    public var privilegeMode: Setting<Bool> {
        get { store[SecurityKey.privilegeMode] }
        set { store[SecurityKey.privilegeMode] = newValue }
    }

    /// `SecurityKey.effectiveUser`.
    public var effectiveUser: Setting<String?> {
        get { store[SecurityKey.effectiveUser] }
        set { store[SecurityKey.effectiveUser] = newValue }
    }

    /// `SecurityKey.effectiveGroup`.
    public var effectiveGroup: Setting<String?> {
        get { store[SecurityKey.effectiveGroup] }
        set { store[SecurityKey.effectiveGroup] = newValue }
    }
}
