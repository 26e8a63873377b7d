import MilterSupport

/// The keys of `define_milter` blocks (detection.md 4.5), in the original's printing order.
/// `milter.applicable_conditions` is not among them: the evaluator handles it (it needs the
/// defined conditions) and the printer places it after `evaluation_mode`.
public enum MilterKey {
    /// The default connection and end-of-message timeout: 300 s minus 3 s of slack.
    public static let defaultLongTimeout = 297.0
    /// The default writing and reading timeout: 10 s minus 3 s of slack.
    public static let defaultShortTimeout = 7.0

    /// `milter.connection_spec`; nil means the child cannot be used.
    public static let connectionSpec = ConfigurationKey(
        "milter", "connection_spec", .optionalConnectionSpec, default: nil, help: "Where the child listens.")
    /// `milter.description`.
    public static let description = ConfigurationKey(
        "milter", "description", .optionalString, default: nil, help: "What the child does.")
    /// `milter.enabled`; disabled milters are never used.
    public static let enabled = ConfigurationKey(
        "milter", "enabled", .bool, default: true, help: "Whether the child is used.")
    /// `milter.fallback_status`: the child's answer when it cannot answer.
    public static let fallbackStatus = ConfigurationKey(
        "milter", "fallback_status", .status, default: .accept,
        help: "The child's answer when it fails, hangs or cannot be reached.")
    /// `milter.evaluation_mode`: the child's answers are logged, never used.
    public static let evaluationMode = ConfigurationKey(
        "milter", "evaluation_mode", .bool, default: false, help: "Log the child's answers without using them.")
    /// `milter.command`, run in privilege mode when the child cannot be reached.
    public static let command = ConfigurationKey(
        "milter", "command", .optionalString, default: nil,
        help: "The command that starts the child when it cannot be reached.")
    /// `milter.command_options`, one shell-escaped string (an array is escaped and joined).
    public static let commandOptions = ConfigurationKey(
        "milter", "command_options", .commandOptions, default: nil, help: "The command's arguments.")
    /// `milter.user_name`, the user `command` runs as (nil: root).
    public static let userName = ConfigurationKey(
        "milter", "user_name", .optionalString, default: nil, help: "The user the command runs as.")
    /// `milter.connection_timeout` in seconds.
    public static let connectionTimeout = ConfigurationKey(
        "milter", "connection_timeout", .seconds(NumericLimits.timeoutSeconds), default: defaultLongTimeout,
        help: "Seconds to wait for the child's connection and negotiation.")
    /// `milter.writing_timeout` in seconds.
    public static let writingTimeout = ConfigurationKey(
        "milter", "writing_timeout", .seconds(NumericLimits.timeoutSeconds), default: defaultShortTimeout,
        help: "Seconds a write to the child may take.")
    /// `milter.reading_timeout` in seconds.
    public static let readingTimeout = ConfigurationKey(
        "milter", "reading_timeout", .seconds(NumericLimits.timeoutSeconds), default: defaultShortTimeout,
        help: "Seconds to wait for the child's answer.")
    /// `milter.end_of_message_timeout` in seconds.
    public static let endOfMessageTimeout = ConfigurationKey(
        "milter", "end_of_message_timeout", .seconds(NumericLimits.timeoutSeconds), default: defaultLongTimeout,
        help: "Seconds to wait for the child's end-of-message answer.")

    /// Every key but `applicable_conditions`, in printing order; `applicable_conditions` is
    /// printed after the key named by `applicableConditionsAfter`.
    public static let all: [AnyConfigurationKey] = [
        connectionSpec.erased, description.erased, enabled.erased, fallbackStatus.erased, evaluationMode.erased,
        command.erased, commandOptions.erased, userName.erased, connectionTimeout.erased, writingTimeout.erased,
        readingTimeout.erased, endOfMessageTimeout.erased,
    ]
    /// The key `applicable_conditions` is printed after.
    static let applicableConditionsAfter = "evaluation_mode"
    /// Keys that can be read but not assigned.
    static let readOnly: Set<String> = ["name"]
    /// Every key name, for suggestions.
    static let allNames: [String] = all.map(\.name) + ["applicable_conditions"]
}

extension SettingType where Value == String? {
    /// `milter.command_options`: a string, nil, or an array of words (each shell-escaped, then
    /// joined with spaces).
    static let commandOptions = SettingType(
        expected: "a string, an array of strings or nil", hint: TypeHints.string,
        read: { value, key throws(ConfigurationErrorKind) in
            guard case .array(let elements) = value.value else { return try value.optionalString(for: key) }
            var words: [String] = []
            for element in elements { words.append(try element.string(for: key)) }
            return ShellQuoting.join(words)
        }, render: { RubyLiteral.inspect($0) })
}
