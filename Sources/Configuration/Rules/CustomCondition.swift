/// A condition defined in the configuration: declarative rules, a Lua script, both, or neither
/// (a description only, which never stops a milter).
public struct CustomCondition: Hashable, Sendable {
    /// The rules in the order written.
    public var rules: [ConditionRule]
    /// The Lua stopper script (`condition.lua_script = "PATH"`).
    public var script: ConditionScript?

    /// A condition with nothing that stops.
    public init(rules: [ConditionRule] = [], script: ConditionScript? = nil) {
        self.rules = rules
        self.script = script
    }

    /// Whether it can stop a milter at all.
    public var canStop: Bool { !rules.isEmpty || script != nil }

    /// The rules of `stage`, in order.
    public func rules(at stage: ConditionStage) -> [ConditionRule] { rules.filter { $0.stage == stage } }
}

/// A Lua stopper script, read at (re)load: the runtime compiles `source` into each event loop's
/// Lua state, so a SIGHUP reads the file again.
public struct ConditionScript: Hashable, Sendable {
    /// The path as written.
    public var path: String
    /// The file read, inside the root.
    public var resolvedPath: String
    /// The script's text.
    public var source: String
    /// Where it was set.
    public var definedAt: Provenance

    /// A script.
    public init(path: String, resolvedPath: String, source: String, definedAt: Provenance) {
        self.path = path
        self.resolvedPath = resolvedPath
        self.source = source
        self.definedAt = definedAt
    }

    /// The largest script read: 1 MiB.
    public static let sizeLimit = 1 << 20
}

/// Checks a condition script when the configuration loads (the Lua compiler lives in
/// MilterScripting; the daemon passes its checker so that `--check-config` reports syntax
/// errors with file and line).
public protocol ConditionScriptChecking: Sendable {
    /// The problems in `source` read from `file`: each with its 1-based line (0 when unknown)
    /// and message.
    func problems(in source: String, file: String) -> [(line: Int, message: String)]
}
