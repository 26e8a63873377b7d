import CLua
import Configuration

/// One Lua state holding the stopper scripts of every condition, for one event loop: created at
/// (re)load, then called once per stage and condition. A call reuses everything made at load
/// (the functions, the read-only `context`), so it allocates nothing but what the arguments
/// and the script itself need.
///
/// Sandbox: only the base functions without file access or loading (`dofile`, `loadfile`,
/// `load`, `require`, `collectgarbage`, `print`, the raw accessors and the metatable functions
/// are removed), `string`, `table`, `math` and `utf8`; no `io`, `os`, `debug` or `package`.
/// Scripts are loaded as text only (never bytecode), each into an environment of its own.
///
/// Not `Sendable`: a state is used by one thread (its event loop) at a time.
public final class LuaConditionState {
    private let state: OpaquePointer
    private let control: UnsafeMutablePointer<clua_control>
    /// The limits of each call (and of the whole state's memory).
    public let limits: LuaLimits
    /// The scripts' names (their paths), in the order given.
    public let scriptNames: [String]
    private var functions: [[Int32]] = []
    private var contextReference: Int32 = 0
    private var facts: (any ScriptFacts)?
    private var stageName: StaticString = ""
    private var scratch: UnsafeMutablePointer<CChar>
    private var scratchCapacity = 256

    /// Lua's "no reference".
    private static let noReference: Int32 = -2

    /// A state with `scripts` loaded (each `name` is its path, used in messages), their top
    /// level run under the call limits. Throws the first script that does not load.
    public init(scripts: [(name: String, source: String)], limits: LuaLimits = LuaLimits()) throws(LuaLoadError) {
        self.limits = limits
        scriptNames = scripts.map(\.name)
        control = UnsafeMutablePointer<clua_control>.allocate(capacity: 1)
        control.initialize(to: clua_control())
        control.pointee.memory_limit = limits.memoryBytes
        scratch = UnsafeMutablePointer<CChar>.allocate(capacity: scratchCapacity)
        guard let state = clua_new_state(control) else {
            control.deallocate()
            scratch.deallocate()
            throw LuaLoadError(script: scripts.first?.name ?? "", line: 0, message: "cannot create a Lua state")
        }
        self.state = state
        control.pointee.owner = Unmanaged.passUnretained(self).toOpaque()
        control.pointee.lookup = luaContextLookup
        guard clua_pcall_function(state, clua_open_sandbox, 0) == LUA_OK else {
            throw LuaLoadError(script: "", line: 0, message: popMessage())
        }
        clua_push_proxy(state, 1)
        clua_push_proxy(state, 2)
        clua_push_proxy(state, 0)
        contextReference = luaL_ref(state, clua_registry_index())
        for script in scripts { functions.append(try load(script.name, script.source)) }
    }

    deinit {
        lua_close(state)
        control.deallocate()
        scratch.deallocate()
    }

    /// Compiles and runs one script in a fresh environment; the references of its stage
    /// functions, by `ConditionStage` order.
    private func load(_ name: String, _ source: String) throws(LuaLoadError) -> [Int32] {
        let base = lua_gettop(state)
        defer { lua_settop(state, base) }
        guard clua_pcall_function(state, clua_new_environment, 1) == LUA_OK else {
            throw LuaLoadError(script: name, line: 0, message: popMessage())
        }
        let environment = lua_gettop(state)
        var text = source
        let status = text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) {
                luaL_loadbufferx(state, $0.baseAddress, $0.count, Self.chunkName, "t")
            }
        }
        guard status == LUA_OK else { throw Self.loadError(name, popMessage()) }
        lua_pushvalue(state, environment)
        _ = clua_upvalue_env(state, -2)
        clua_begin_call(control, Int64(limits.instructions), Int64(limits.nanoseconds))
        let result = clua_pcall(state, 0, 0)
        clua_end_call(control)
        guard result == LUA_OK else {
            let failure = failure(status: result)
            if case .error(let message) = failure { throw Self.loadError(name, message) }
            throw LuaLoadError(script: name, line: 0, message: "its top level: \(failure)")
        }
        var references: [Int32] = []
        for stage in ConditionStage.allCases {
            lua_pushstring(state, stage.rawValue)
            if lua_rawget(state, environment) == LUA_TFUNCTION {
                references.append(luaL_ref(state, clua_registry_index()))
            } else {
                clua_pop(state, 1)
                references.append(Self.noReference)
            }
        }
        return references
    }

    /// Whether script `index` has a function for `stage`.
    public func defines(script index: Int, stage: ConditionStage) -> Bool {
        functions.indices.contains(index) && functions[index][stage.ordinal] != Self.noReference
    }

    /// Calls script `index`'s function for the stage of `arguments` with `context` and the
    /// stage's arguments, under the limits. A true result stops the milter.
    public func call(script index: Int, _ arguments: StageArguments, facts: any ScriptFacts) -> LuaCallResult {
        let stage = arguments.stage
        guard defines(script: index, stage: stage) else { return .notDefined }
        let base = lua_gettop(state)
        defer {
            lua_settop(state, base)
            self.facts = nil
        }
        self.facts = facts
        stageName = arguments.stageName
        lua_rawgeti(state, clua_registry_index(), lua_Integer(functions[index][stage.ordinal]))
        lua_rawgeti(state, clua_registry_index(), lua_Integer(contextReference))
        let count = push(arguments)
        clua_begin_call(control, Int64(limits.instructions), Int64(limits.nanoseconds))
        let status = clua_pcall(state, 1 + count, 1)
        clua_end_call(control)
        guard status == LUA_OK else { return .failed(failure(status: status)) }
        return lua_toboolean(state, -1) != 0 ? .stop : .apply
    }

    /// Pushes the stage's arguments; how many.
    private func push(_ arguments: StageArguments) -> Int32 {
        switch arguments {
        case .connect(let host, let address):
            pushString(host)
            pushString(address)
            return 2
        case .helo(let text), .envelopeFrom(let text), .envelopeRecipient(let text):
            pushString(text)
            return 1
        case .header(let name, let value):
            pushString(name)
            pushString(value)
            return 2
        case .body(let chunk):
            chunk.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { _ = lua_pushlstring(state, $0.baseAddress, $0.count) }
            }
            return 1
        case .data, .endOfHeader, .endOfMessage:
            return 0
        }
    }

    private func pushString(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { _ = lua_pushlstring(state, $0.baseAddress, $0.count) }
        }
    }

    /// The failure after a non-OK status, the error object popped.
    private func failure(status: Int32) -> LuaCallFailure {
        let message = popMessage()
        switch Int(control.pointee.stop_reason) {
        case Int(CLUA_STOP_INSTRUCTIONS): return .instructionBudget
        case Int(CLUA_STOP_TIME): return .timeLimit
        case Int(CLUA_STOP_MEMORY): return .memory
        default: return status == LUA_ERRMEM ? .memory : .error(message)
        }
    }

    private func popMessage() -> String {
        var length = 0
        defer { clua_pop(state, 1) }
        guard let text = clua_tostring(state, -1, &length) else { return "(error object is not a string)" }
        return String(decoding: UnsafeRawBufferPointer(start: text, count: length), as: UTF8.self)
    }

    /// The name Lua gives the chunk in messages (`script:LINE: ...`); the real path is added.
    static let chunkName = "=script"

    static func loadError(_ name: String, _ message: String) -> LuaLoadError {
        let (line, text) = splitLocation(message)
        return LuaLoadError(script: name, line: line, message: text)
    }

    /// `script:12: message` → (12, "message"); (0, message) otherwise.
    static func splitLocation(_ message: String) -> (Int, String) {
        guard message.hasPrefix("script:") else { return (0, message) }
        let rest = message.dropFirst("script:".count)
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard let line = Int(digits), rest.dropFirst(digits.count).hasPrefix(": ") else { return (0, message) }
        return (line, String(rest.dropFirst(digits.count + 2)))
    }

    /// Bytes the state holds now.
    public var memoryUsed: Int { control.pointee.memory_used }

    /// How many times Lua's allocator has grown or made a block since the state was created
    /// (to measure what a call allocates).
    public var allocationCount: UInt64 { control.pointee.allocations }

    /// Runs a full garbage collection (after a failed call, when memory matters).
    public func collectGarbage() { clua_collect(state) }

    // MARK: context look-ups (called from C, never calling Lua)

    fileprivate func lookup(kind: Int32, key: String) -> LookupValue? {
        guard let facts else { return nil }
        switch kind {
        case 0:
            switch key {
            case "stage": return .text(stageName.description)
            case "name": return .text(facts.milterName)
            case "authenticated": return .boolean(facts.isAuthenticated)
            case "sessions": return .integer(facts.sessionsInProgress)
            default: return nil
            }
        case 1:
            var name = Substring(key)
            if name.count > 2, name.hasPrefix("{"), name.hasSuffix("}") { name = name.dropFirst().dropLast() }
            return facts.macro(String(name)).map(LookupValue.text)
        default:
            return facts.childResult(key).map(LookupValue.text)
        }
    }

    /// Copies `text` into the scratch buffer (grown when needed) for C to push.
    fileprivate func scratchCopy(_ text: String) -> (UnsafePointer<CChar>, Int) {
        var text = text
        return text.withUTF8 { bytes in
            if bytes.count > scratchCapacity {
                scratch.deallocate()
                scratchCapacity = bytes.count
                scratch = UnsafeMutablePointer<CChar>.allocate(capacity: scratchCapacity)
            }
            bytes.withMemoryRebound(to: CChar.self) { source in
                if let base = source.baseAddress { scratch.update(from: base, count: source.count) }
            }
            return (UnsafePointer(scratch), bytes.count)
        }
    }

    fileprivate enum LookupValue {
        case text(String)
        case boolean(Bool)
        case integer(Int)
    }
}

/// The C look-up callback: reads the owner's current facts; calls no Lua function.
private let luaContextLookup: clua_lookup_fn = {
    owner, kind, key, keyLength, value, valueLength, isBoolean, integer, isInteger in
    guard let owner, let key, let value, let valueLength, let isBoolean, let integer, let isInteger else { return 0 }
    let state = Unmanaged<LuaConditionState>.fromOpaque(owner).takeUnretainedValue()
    let name = String(decoding: UnsafeRawBufferPointer(start: key, count: keyLength), as: UTF8.self)
    guard let found = state.lookup(kind: kind, key: name) else { return 0 }
    switch found {
    case .text(let text):
        let (pointer, count) = state.scratchCopy(text)
        value.pointee = pointer
        valueLength.pointee = count
    case .boolean(let flag):
        isBoolean.pointee = 1
        integer.pointee = flag ? 1 : 0
    case .integer(let number):
        isInteger.pointee = 1
        integer.pointee = Int64(number)
    }
    return 1
}

extension StageArguments {
    /// The stage these are the arguments of.
    var stage: ConditionStage {
        switch self {
        case .connect: return .connect
        case .helo: return .helo
        case .envelopeFrom: return .envelopeFrom
        case .envelopeRecipient: return .envelopeRecipient
        case .data: return .data
        case .header: return .header
        case .endOfHeader: return .endOfHeader
        case .body: return .body
        case .endOfMessage: return .endOfMessage
        }
    }

    /// `context.stage` (no allocation).
    var stageName: StaticString {
        switch self {
        case .connect: return "connect"
        case .helo: return "helo"
        case .envelopeFrom: return "envelope_from"
        case .envelopeRecipient: return "envelope_recipient"
        case .data: return "data"
        case .header: return "header"
        case .endOfHeader: return "end_of_header"
        case .body: return "body"
        case .endOfMessage: return "end_of_message"
        }
    }
}
