import Configuration

/// A condition of the configuration's own (`define_applicable_condition` with rules or a Lua
/// script) as the session runs it: the rules indexed by stage, then the script, if any, by its
/// position among `RuntimeConfiguration.conditionScripts` (the index into every event loop's
/// Lua state).
public struct ConditionProgram: Hashable, Sendable {
    /// The declarative rules.
    public var rules: RuleEvaluator
    /// The script's index in the Lua states, nil when the condition has no script.
    public var script: Int?
    /// The script's path as written (for logs), empty without a script.
    public var scriptPath: String

    /// A program.
    public init(rules: RuleEvaluator, script: Int? = nil, scriptPath: String = "") {
        self.rules = rules
        self.script = script
        self.scriptPath = scriptPath
    }
}
