/// The whole effective configuration of the daemon: every key of detection.md 4.3-4.5 with
/// where it was set, the applicable conditions, their parameters and the child milters in
/// processing order. A plain value: the runtime keeps one per (re)load.
public struct ManagerConfiguration: Hashable, Sendable {
    /// `package.*`.
    public var package: PackageSettings
    /// `security.*`.
    public var security: SecuritySettings
    /// `log.*`.
    public var log: LogSettings
    /// `manager.*`.
    public var manager: ManagerSettings
    /// `controller.*`.
    public var controller: ControllerSettings
    /// `database.*` (accepted, ignored).
    public var database: DatabaseSettings
    /// The applicable conditions, in definition order (the built-in ones first).
    public var applicableConditions: [ApplicableConditionDefinition]
    /// The parameters of the built-in conditions.
    public var conditionParameters: ConditionParameters
    /// The child milters, in processing order.
    public var milters: [MilterDefinition]

    /// The defaults of a daemon built for `platform` (what every (re)load starts from).
    public init(platform: Platform) {
        let defaults = PlatformDefaults(platform: platform)
        package = PackageSettings(defaults: defaults)
        security = SecuritySettings(defaults: defaults)
        log = LogSettings(defaults: defaults)
        manager = ManagerSettings(defaults: defaults)
        controller = ControllerSettings(defaults: defaults)
        database = DatabaseSettings(defaults: defaults)
        applicableConditions = ApplicableConditionDefinition.builtIn
        conditionParameters = ConditionParameters()
        milters = []
    }

    /// The milter named `name`, if defined.
    public func milter(named name: String) -> MilterDefinition? {
        milters.first { $0.name == name }
    }

    /// The condition named `name`, if defined.
    public func applicableCondition(named name: String) -> ApplicableConditionDefinition? {
        applicableConditions.first { $0.name == name }
    }

    /// The milters that are enabled, in processing order.
    public var enabledMilters: [MilterDefinition] { milters.filter(\.enabled.value) }
}
