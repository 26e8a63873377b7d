/// The values of a group's keys (or a milter's), each a `Setting` with where it was set,
/// filled with every key's default when made, read and written by typed keys:
/// `store[GroupKeyTable.maxConnections].value`.
public struct SettingStore: Hashable, Sendable {
    /// A stored setting of any value type. Every value put in is a `Setting<V>` of a
    /// `ConfigurationKey<V>` (both `Hashable & Sendable`), so the box is sendable.
    private struct Box: Hashable, @unchecked Sendable {
        var base: AnyHashable
    }

    private var values: [String: Box] = [:]
    /// The platform defaults the store was made with (a key read before it was set falls back
    /// to its default for them).
    public let defaults: PlatformDefaults

    /// A store holding the default of every key in `keys`.
    public init(keys: [AnyConfigurationKey], defaults: PlatformDefaults) {
        self.defaults = defaults
        for key in keys { key.setDefault(&self, defaults) }
    }

    /// The setting of `key`.
    public subscript<Value>(key: ConfigurationKey<Value>) -> Setting<Value> {
        get {
            if let box = values[key.fullName], let setting = box.base.base as? Setting<Value> { return setting }
            return Setting(key.defaultValue(defaults))
        }
        set { values[key.fullName] = Box(base: AnyHashable(newValue)) }
    }
}
