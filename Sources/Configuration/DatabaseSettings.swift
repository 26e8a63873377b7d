/// `database.*`: accepted so that configurations written for the original load, printed by
/// `--show-config`, and otherwise ignored (reported by `--check-config`).
///
/// The values live in a `SettingStore` filled from `DatabaseKey.all`; the properties below are
/// typed shortcuts to it (a key needs none: `settings[DatabaseKey.someKey]` reads any key).
public struct DatabaseSettings: Hashable, Sendable {
    /// The values of every `DatabaseKey` key.
    public var store: SettingStore

    /// Every key at its default for the platform of `defaults`.
    public init(defaults: PlatformDefaults) {
        store = SettingStore(keys: DatabaseKey.all, defaults: defaults)
    }

    /// The setting of `key`.
    public subscript<Value>(key: ConfigurationKey<Value>) -> Setting<Value> {
        get { store[key] }
        set { store[key] = newValue }
    }

    /// `DatabaseKey.type`.
    public var type: Setting<String?> {
        get { store[DatabaseKey.type] }
        set { store[DatabaseKey.type] = newValue }
    }

    /// `DatabaseKey.name`.
    public var name: Setting<String?> {
        get { store[DatabaseKey.name] }
        set { store[DatabaseKey.name] = newValue }
    }

    /// `DatabaseKey.host`.
    public var host: Setting<String?> {
        get { store[DatabaseKey.host] }
        set { store[DatabaseKey.host] = newValue }
    }

    /// `DatabaseKey.port`.
    public var port: Setting<Int?> {
        get { store[DatabaseKey.port] }
        set { store[DatabaseKey.port] = newValue }
    }

    /// `DatabaseKey.path`.
    public var path: Setting<String?> {
        get { store[DatabaseKey.path] }
        set { store[DatabaseKey.path] = newValue }
    }

    /// `DatabaseKey.user`.
    public var user: Setting<String?> {
        get { store[DatabaseKey.user] }
        set { store[DatabaseKey.user] = newValue }
    }

    /// `DatabaseKey.password`.
    public var password: Setting<String?> {
        get { store[DatabaseKey.password] }
        set { store[DatabaseKey.password] = newValue }
    }
}
