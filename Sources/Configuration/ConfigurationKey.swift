/// One key of the configuration language, all in one place: its name, the type of its value
/// (with the range), its default on each platform, its help text, how it prints, and whether
/// this milter manager honours it. Parsing (the evaluator), validation (ranges, also of
/// command-line options), `--show-config` (the printer), the command-line overrides, the
/// runtime defaults and `--check-config` all read it from here.
///
/// Adding a key is one entry in `GroupKeyTable` or `MilterKeyTable`:
///
/// ```swift
/// static let maxConnections = ConfigurationKey(
///     "manager", "max_connections", .integer(NumericLimits.connectionCount, nilValue: 0),
///     default: 0, help: "Sessions served at once; 0 = unlimited.")
/// ```
///
/// plus its name in the table's `all` list (which is also the order `--show-config` prints).
/// Its value is then `configuration.manager[GroupKeyTable.maxConnections]`.
public struct ConfigurationKey<Value: Hashable & Sendable>: Sendable {
    /// The group (`manager`, `security`, ...) or `milter`.
    public let group: String
    /// The key within its group (`connection_spec`).
    public let name: String
    /// The type of its value.
    public let type: SettingType<Value>
    /// The default, for the platform the daemon is built for.
    public let defaultValue: @Sendable (PlatformDefaults) -> Value
    /// What it does, in one sentence (the daemon's `--help` uses it for the key's option).
    public let help: String
    /// Whether it is honoured, and what `--check-config` says when it is not.
    public let support: KeySupport<Value>

    /// `group.name` as written in a file.
    public var fullName: String { group + "." + name }

    /// A key whose default is the same on every platform.
    public init(
        _ group: String, _ name: String, _ type: SettingType<Value>, default value: Value, help: String,
        support: KeySupport<Value> = .honoured
    ) {
        self.init(group, name, type, platformDefault: { _ in value }, help: help, support: support)
    }

    /// A key whose default depends on the platform.
    public init(
        _ group: String, _ name: String, _ type: SettingType<Value>,
        platformDefault: @escaping @Sendable (PlatformDefaults) -> Value, help: String,
        support: KeySupport<Value> = .honoured
    ) {
        self.group = group
        self.name = name
        self.type = type
        self.defaultValue = platformDefault
        self.help = help
        self.support = support
    }

    /// The default of a source build (platform `unknown`): the value a runtime type made
    /// without a loaded configuration starts from (`RuntimeConfiguration`'s initializer), so
    /// that a default is written only in its key's entry.
    public var builtInDefault: Value { defaultValue(PlatformDefaults(platform: .unknown)) }

    /// Checks `value` as if it were written in a file (for command-line options).
    public func check(_ value: Value) throws(ConfigurationErrorKind) { try type.check(value, fullName) }

    /// The type-erased entry of a table.
    public var erased: AnyConfigurationKey { AnyConfigurationKey(self) }
}

/// Whether a key is honoured; the original's keys that have no meaning here are accepted so
/// that its files load, and reported by `--check-config` and at start and reload.
public enum KeySupport<Value: Hashable & Sendable>: Sendable {
    /// The key does what it says.
    case honoured
    /// The key is accepted and ignored: `message` says why, `instead` what to do; reported
    /// when set (not left at its default) and `isActive` says the value matters.
    case ignored(
        message: String, instead: String, changesBehaviour: Bool, isActive: @Sendable (Value) -> Bool = { _ in true })
}

/// A key of any value type, as the tables list it.
public struct AnyConfigurationKey: Sendable {
    /// `group.name`.
    public let fullName: String
    /// The key within its group.
    public let name: String
    /// What it does.
    public let help: String
    /// What its value must be, for messages.
    public let expected: String
    /// The hint for a type mismatch.
    public let typeHint: String?
    /// Whether the original's key is honoured here.
    public let isHonoured: Bool
    let assign: @Sendable (inout SettingStore, LocatedValue, Provenance) throws(ConfigurationErrorKind) -> Void
    let setDefault: @Sendable (inout SettingStore, PlatformDefaults) -> Void
    let render: @Sendable (SettingStore) -> (provenance: Provenance, text: String)
    let finding: @Sendable (SettingStore) -> CompatibilityFinding?

    init<Value>(_ key: ConfigurationKey<Value>) {
        fullName = key.fullName
        name = key.name
        help = key.help
        expected = key.type.expected
        typeHint = key.type.hint
        let type = key.type
        let fullName = key.fullName
        assign = { store, value, at throws(ConfigurationErrorKind) in
            store[key] = Setting(try type.read(value, fullName), at)
        }
        setDefault = { store, defaults in store[key] = Setting(key.defaultValue(defaults)) }
        render = { store in
            let setting = store[key]
            return (setting.provenance, type.render(setting.value))
        }
        switch key.support {
        case .honoured:
            isHonoured = true
            finding = { _ in nil }
        case .ignored(let message, let instead, let changesBehaviour, let isActive):
            isHonoured = false
            finding = { store in
                let setting = store[key]
                guard isActive(setting.value), let location = setting.provenance.findingLocation else { return nil }
                return CompatibilityFinding(
                    location: location, message: message, instead: instead, changesBehaviour: changesBehaviour)
            }
        }
    }
}
