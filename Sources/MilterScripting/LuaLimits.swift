/// The limits of one Lua stopper call, and of a state's memory.
public struct LuaLimits: Hashable, Sendable {
    /// Lua VM instructions one call may run (checked every 1000 instructions).
    public var instructions: Int
    /// Wall-clock time one call may take, nanoseconds (checked with the instruction count, so
    /// a single long-running library call, e.g. `string.rep` or a pathological `string.find`,
    /// is only stopped when it returns; the memory cap bounds what it can build).
    public var nanoseconds: Int
    /// Bytes the whole state (every script of the event loop) may hold.
    public var memoryBytes: Int

    /// Limits; the defaults allow about a million instructions, 50 ms and 16 MiB.
    public init(instructions: Int = 1_000_000, nanoseconds: Int = 50_000_000, memoryBytes: Int = 16 << 20) {
        self.instructions = instructions
        self.nanoseconds = nanoseconds
        self.memoryBytes = memoryBytes
    }
}

/// Why a Lua stopper call did not decide: the session applies the milter's fallback and logs
/// the reason once.
public enum LuaCallFailure: Error, Hashable, Sendable, CustomStringConvertible {
    /// The script raised an error (message with the script's name and line).
    case error(String)
    /// It ran more instructions than allowed.
    case instructionBudget
    /// It took longer than allowed.
    case timeLimit
    /// It needed more memory than the state may hold.
    case memory

    /// One line for the log.
    public var description: String {
        switch self {
        case .error(let message): return message
        case .instructionBudget: return "instruction budget exhausted"
        case .timeLimit: return "time limit exceeded"
        case .memory: return "memory limit exceeded"
        }
    }
}

/// What a Lua stopper said at one stage.
public enum LuaCallResult: Hashable, Sendable {
    /// The function returned a true value: stop the milter.
    case stop
    /// It returned false or nil: apply the milter.
    case apply
    /// The script has no function for this stage.
    case notDefined
    /// It failed: apply the fallback.
    case failed(LuaCallFailure)
}

/// A problem loading a script into a state.
public struct LuaLoadError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The script's name (its path).
    public var script: String
    /// The line, 0 when unknown.
    public var line: Int
    /// Lua's message without the `name:line:` prefix.
    public var message: String

    /// `NAME:LINE: MESSAGE`.
    public var description: String { line > 0 ? "\(script):\(line): \(message)" : "\(script): \(message)" }
}
