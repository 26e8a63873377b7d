import MilterSupport

/// The daemon's command-line options that override the loaded configuration (detection.md
/// 4.7): each is a key of the tables set to a value, applied after every (re)load and shown as
/// `# command line` by `--show-config`. The value is checked with the key's own type (its
/// range), so an option and the key it sets accept the same values.
///
/// ```swift
/// var overrides = CommandLineOverrides()
/// overrides.set(ManagerKey.pidFile, to: "/run/mm.pid")
/// let configuration = loaded.configuration.applying(overrides)
/// ```
public struct CommandLineOverrides: Sendable {
    private struct Assignment: Sendable {
        var key: String
        var check: @Sendable () throws(ConfigurationErrorKind) -> Void
        var apply: @Sendable (inout ManagerConfiguration) -> Void
    }

    private var assignments: [Assignment] = []
    /// `--log-level`, `--verbose` (all), `--quiet` (none): applied relative to the loaded level
    /// when it starts with `+` or `-`, so it is kept as text.
    public var logLevel: String?

    /// No override.
    public init() {}

    /// Sets `key` to `value` (nil: the option was not given; nothing is set).
    public mutating func set<Value>(_ key: ConfigurationKey<Value>, to value: Value?) {
        guard let value else { return }
        assign(key, value)
    }

    /// Sets a key whose values may be nil to `value`; nil means the option was not given
    /// (nothing is set): use `setNil` for an option that means nil.
    public mutating func set<Wrapped>(_ key: ConfigurationKey<Wrapped?>, to value: Wrapped?) {
        guard let value else { return }
        assign(key, .some(value))
    }

    /// Sets a key whose values may be nil to nil (`--log-path -`: standard output).
    public mutating func setNil<Wrapped>(_ key: ConfigurationKey<Wrapped?>) {
        assign(key, nil)
    }

    private mutating func assign<Value>(_ key: ConfigurationKey<Value>, _ value: Value) {
        guard let group = ConfigurationGroup(rawValue: key.group), GroupKeyTable.store(of: group) != nil else {
            return
        }
        assignments.removeAll { $0.key == key.fullName }
        assignments.append(
            Assignment(
                key: key.fullName, check: { () throws(ConfigurationErrorKind) in try key.check(value) },
                apply: { configuration in
                    guard let store = GroupKeyTable.store(of: group) else { return }
                    configuration[keyPath: store][key] = Setting(value, .commandLine)
                }))
    }

    /// Whether `key` is set.
    public func sets<Value>(_ key: ConfigurationKey<Value>) -> Bool {
        assignments.contains { $0.key == key.fullName }
    }

    /// Every value checked against its key's range; the problems found, in order.
    public func problems() -> [ConfigurationErrorKind] {
        var problems: [ConfigurationErrorKind] = []
        for assignment in assignments {
            do throws(ConfigurationErrorKind) {
                try assignment.check()
            } catch {
                problems.append(error)
            }
        }
        if let logLevel, (try? LogLevel(parsing: logLevel, relativeTo: .default)) == nil {
            problems.append(
                .invalidValue(key: LogKey.level.fullName, value: RubyLiteral.inspect(logLevel), allowed: "level names"))
        }
        return problems
    }

    /// Applies every override to `configuration`.
    func apply(to configuration: inout ManagerConfiguration) {
        for assignment in assignments { assignment.apply(&configuration) }
        if let text = logLevel, let level = try? LogLevel(parsing: text, relativeTo: configuration.log.level.value) {
            configuration.log.level.set(level, at: .commandLine)
        }
    }
}

extension ManagerConfiguration {
    /// The configuration with `overrides` written over it (`# command line` provenance).
    /// An invalid `logLevel` text leaves the level unchanged (check `overrides.problems()`).
    public func applying(_ overrides: CommandLineOverrides) -> ManagerConfiguration {
        var result = self
        overrides.apply(to: &result)
        return result
    }
}
