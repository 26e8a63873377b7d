/// One child milter (`define_milter("name") do |milter| ... end`), with every per-milter key.
public struct MilterDefinition: Hashable, Sendable {
    /// The default connection and end-of-message timeout: 300 s minus 3 s of slack.
    public static let defaultLongTimeout = 297.0
    /// The default writing and reading timeout: 10 s minus 3 s of slack.
    public static let defaultShortTimeout = 7.0

    /// `milter.name`, the `define_milter` argument.
    public var name: String
    /// Where the milter was first defined.
    public var definedAt: Provenance
    /// `milter.connection_spec`; nil means the child cannot be used ("must set connection spec").
    public var connectionSpec: Setting<WrittenConnectionSpec?>
    /// `milter.description`.
    public var description: Setting<String?>
    /// `milter.enabled`; disabled milters are never used.
    public var enabled: Setting<Bool>
    /// `milter.fallback_status`.
    public var fallbackStatus: Setting<FallbackStatus>
    /// `milter.evaluation_mode`: the child's answers are logged, never used.
    public var evaluationMode: Setting<Bool>
    /// `milter.applicable_conditions`: condition names, in order, each with where it was added.
    public var applicableConditions: [Setting<String>]
    /// Where the condition list was last assigned as a whole (printed only when it is empty).
    public var applicableConditionsProvenance: Provenance
    /// `milter.command`, run in privilege mode when the child cannot be reached.
    public var command: Setting<String?>
    /// `milter.command_options`, one shell-escaped string.
    public var commandOptions: Setting<String?>
    /// `milter.user_name`, the user `command` runs as (nil: root).
    public var userName: Setting<String?>
    /// `milter.connection_timeout` in seconds.
    public var connectionTimeout: Setting<Double>
    /// `milter.writing_timeout` in seconds.
    public var writingTimeout: Setting<Double>
    /// `milter.reading_timeout` in seconds.
    public var readingTimeout: Setting<Double>
    /// `milter.end_of_message_timeout` in seconds.
    public var endOfMessageTimeout: Setting<Double>

    /// A milter with every key at its default.
    public init(name: String, definedAt: Provenance) {
        self.name = name
        self.definedAt = definedAt
        connectionSpec = Setting(nil)
        description = Setting(nil)
        enabled = Setting(true)
        fallbackStatus = Setting(.accept)
        evaluationMode = Setting(false)
        applicableConditions = []
        applicableConditionsProvenance = .default
        command = Setting(nil)
        commandOptions = Setting(nil)
        userName = Setting(nil)
        connectionTimeout = Setting(Self.defaultLongTimeout)
        writingTimeout = Setting(Self.defaultShortTimeout)
        readingTimeout = Setting(Self.defaultShortTimeout)
        endOfMessageTimeout = Setting(Self.defaultLongTimeout)
    }

    /// The names of the applicable conditions, in order.
    public var applicableConditionNames: [String] { applicableConditions.map(\.value) }
}
