import Configuration

/// Checks a condition script when the configuration loads: it must compile and its top level
/// must run in the sandbox within the limits (`ConfigurationLoader.scriptChecker`).
public struct LuaScriptChecker: ConditionScriptChecking {
    /// The limits the top level runs under.
    public var limits: LuaLimits

    /// A checker.
    public init(limits: LuaLimits = LuaLimits()) { self.limits = limits }

    public func problems(in source: String, file: String) -> [(line: Int, message: String)] {
        do {
            _ = try LuaConditionState(scripts: [(file, source)], limits: limits)
            return []
        } catch {
            return [(error.line, error.message)]
        }
    }
}
