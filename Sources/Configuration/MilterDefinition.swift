/// One child milter (`define_milter("name") do |milter| ... end`): its name, where it was
/// defined, its applicable conditions, and the values of every `MilterKey` key in a
/// `SettingStore` (the properties below are typed shortcuts to it).
public struct MilterDefinition: Hashable, Sendable {
    /// `milter.name`, the `define_milter` argument.
    public var name: String
    /// Where the milter was first defined.
    public var definedAt: Provenance
    /// The values of every `MilterKey` key.
    public var store: SettingStore
    /// `milter.applicable_conditions`: condition names, in order, each with where it was added.
    public var applicableConditions: [Setting<String>]
    /// Where the condition list was last assigned as a whole (printed only when it is empty).
    public var applicableConditionsProvenance: Provenance

    /// A milter with every key at its default.
    public init(name: String, definedAt: Provenance) {
        self.name = name
        self.definedAt = definedAt
        store = SettingStore(keys: MilterKey.all, defaults: PlatformDefaults(platform: .unknown))
        applicableConditions = []
        applicableConditionsProvenance = .default
    }

    /// The setting of `key`.
    public subscript<Value>(key: ConfigurationKey<Value>) -> Setting<Value> {
        get { store[key] }
        set { store[key] = newValue }
    }

    /// The names of the applicable conditions, in order.
    public var applicableConditionNames: [String] { applicableConditions.map(\.value) }

    /// `milter.connectionSpec` (`MilterKey.connectionSpec`).
    public var connectionSpec: Setting<WrittenConnectionSpec?> {
        get { store[MilterKey.connectionSpec] }
        set { store[MilterKey.connectionSpec] = newValue }
    }

    /// `milter.description` (`MilterKey.description`).
    public var description: Setting<String?> {
        get { store[MilterKey.description] }
        set { store[MilterKey.description] = newValue }
    }

    /// `milter.enabled` (`MilterKey.enabled`).
    public var enabled: Setting<Bool> {
        get { store[MilterKey.enabled] }
        set { store[MilterKey.enabled] = newValue }
    }

    /// `milter.fallbackStatus` (`MilterKey.fallbackStatus`).
    public var fallbackStatus: Setting<FallbackStatus> {
        get { store[MilterKey.fallbackStatus] }
        set { store[MilterKey.fallbackStatus] = newValue }
    }

    /// `milter.evaluationMode` (`MilterKey.evaluationMode`).
    public var evaluationMode: Setting<Bool> {
        get { store[MilterKey.evaluationMode] }
        set { store[MilterKey.evaluationMode] = newValue }
    }

    /// `milter.command` (`MilterKey.command`).
    public var command: Setting<String?> {
        get { store[MilterKey.command] }
        set { store[MilterKey.command] = newValue }
    }

    /// `milter.commandOptions` (`MilterKey.commandOptions`).
    public var commandOptions: Setting<String?> {
        get { store[MilterKey.commandOptions] }
        set { store[MilterKey.commandOptions] = newValue }
    }

    /// `milter.userName` (`MilterKey.userName`).
    public var userName: Setting<String?> {
        get { store[MilterKey.userName] }
        set { store[MilterKey.userName] = newValue }
    }

    /// `milter.connectionTimeout` (`MilterKey.connectionTimeout`).
    public var connectionTimeout: Setting<Double> {
        get { store[MilterKey.connectionTimeout] }
        set { store[MilterKey.connectionTimeout] = newValue }
    }

    /// `milter.writingTimeout` (`MilterKey.writingTimeout`).
    public var writingTimeout: Setting<Double> {
        get { store[MilterKey.writingTimeout] }
        set { store[MilterKey.writingTimeout] = newValue }
    }

    /// `milter.readingTimeout` (`MilterKey.readingTimeout`).
    public var readingTimeout: Setting<Double> {
        get { store[MilterKey.readingTimeout] }
        set { store[MilterKey.readingTimeout] = newValue }
    }

    /// `milter.endOfMessageTimeout` (`MilterKey.endOfMessageTimeout`).
    public var endOfMessageTimeout: Setting<Double> {
        get { store[MilterKey.endOfMessageTimeout] }
        set { store[MilterKey.endOfMessageTimeout] = newValue }
    }
}
