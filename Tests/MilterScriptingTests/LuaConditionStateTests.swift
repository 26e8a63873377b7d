import Configuration
import MilterScripting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The facts a session would give, as a class the test fills.
final class Facts: ScriptFacts {
    var milterName = "spamass-milter"
    var isAuthenticated = false
    var sessionsInProgress = 3
    var macros: [String: String] = [:]
    var results: [String: String] = [:]

    func macro(_ name: String) -> String? { macros[name] }
    func childResult(_ name: String) -> String? { results[name] }
}

/// Lua stoppers: what each stage's function sees and returns, the sandbox, the read-only
/// context, and every way a script can fail (error, endless loop, slow loop, memory), after
/// which the state goes on working.
@Suite struct LuaConditionStateTests {
    static let script = """
        -- Every stage, each looking at what it is given.
        function connect(context, host, address)
          return host == "unknown" or address == "192.0.2.66"
        end
        function helo(context, fqdn) return fqdn:lower() == "localhost" end
        function envelope_from(context, sender) return not context.authenticated end
        function envelope_recipient(context, recipient)
          return recipient:match("^<abuse@") ~= nil and context.macros["{daemon_name}"] == "mx"
        end
        function data(context) return context.children["milter-greylist"] == "reject" end
        function header(context, name, value) return name == "X-Spam-Flag" and value == "YES" end
        function end_of_header(context) return context.sessions > 100 end
        function body(context, chunk) return chunk:find("\\0", 1, true) ~= nil end
        function end_of_message(context)
          return context.stage == "end_of_message" and context.name == "spamass-milter" and context.macros.i == "Q1"
        end
        """

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var arguments: @Sendable () -> StageArguments
        var setUp: @Sendable (Facts) -> Void = { _ in }
        var result: LuaCallResult
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "connect: unknown host", arguments: { .connect(host: "unknown", address: "203.0.113.1") },
            result: .stop),
        Case(
            name: "connect: address", arguments: { .connect(host: "mx.example", address: "192.0.2.66") }, result: .stop),
        Case(name: "connect: other", arguments: { .connect(host: "mx.example", address: "192.0.2.1") }, result: .apply),
        Case(name: "helo", arguments: { .helo("LocalHost") }, result: .stop),
        Case(name: "envelope_from: not authenticated", arguments: { .envelopeFrom("<a@b>") }, result: .stop),
        Case(
            name: "envelope_from: authenticated", arguments: { .envelopeFrom("<a@b>") },
            setUp: { $0.isAuthenticated = true }, result: .apply),
        Case(
            name: "envelope_recipient: macro with braces", arguments: { .envelopeRecipient("<abuse@example.com>") },
            setUp: { $0.macros["daemon_name"] = "mx" }, result: .stop),
        Case(
            name: "envelope_recipient: other daemon", arguments: { .envelopeRecipient("<abuse@example.com>") },
            setUp: { $0.macros["daemon_name"] = "submission" }, result: .apply),
        Case(
            name: "data: another child's result", arguments: { .data },
            setUp: { $0.results["milter-greylist"] = "reject" }, result: .stop),
        Case(name: "data: no result yet", arguments: { .data }, result: .apply),
        Case(name: "header", arguments: { .header(name: "X-Spam-Flag", value: "YES") }, result: .stop),
        Case(
            name: "end_of_header: sessions", arguments: { .endOfHeader }, setUp: { $0.sessionsInProgress = 101 },
            result: .stop),
        Case(name: "body: binary chunk", arguments: { .body([0x61, 0x00, 0x62]) }, result: .stop),
        Case(name: "body: text chunk", arguments: { .body(Array("text".utf8)) }, result: .apply),
        Case(
            name: "end_of_message: stage, name and a one-letter macro", arguments: { .endOfMessage },
            setUp: { $0.macros["i"] = "Q1" }, result: .stop),
    ]

    @Test(arguments: cases)
    func eachStageSeesItsArguments(_ testCase: Case) throws {
        let state = try LuaConditionState(scripts: [("/etc/milter-manager/stop.lua", Self.script)])
        let facts = Facts()
        testCase.setUp(facts)
        #expect(state.call(script: 0, testCase.arguments(), facts: facts) == testCase.result)
    }

    @Test func aMissingFunctionIsNotDefined() throws {
        let state = try LuaConditionState(scripts: [("a.lua", "function helo(c, h) return true end")])
        #expect(state.defines(script: 0, stage: .helo))
        #expect(!state.defines(script: 0, stage: .connect))
        #expect(state.call(script: 0, .data, facts: Facts()) == .notDefined)
        #expect(state.call(script: 1, .helo("x"), facts: Facts()) == .notDefined)
    }

    /// Scripts that must fail, and how.
    @Test(arguments: [
        ("function data(c) error('boom') end", LuaCallResult.failed(.error("script:1: boom"))),
        ("function data(c) c.x = 1 end", .failed(.error("script:1: the context is read-only"))),
        ("function data(c) c.macros.x = 1 end", .failed(.error("script:1: the context is read-only"))),
        ("function data(c) while true do end end", .failed(.instructionBudget)),
        ("function data(c) local function f() return f() + 1 end return f() end", .failed(.memory)),
        ("function data(c) local t = {} for i = 1, 1e9 do t[i] = i end end", .failed(.memory)),
        ("function data(c) local s = string.rep('x', 1 << 30) end", .failed(.memory)),
        ("function data(c) return nil end", .apply),
        ("function data(c) return 0 end", .stop),
    ])
    func failuresAreTypedAndTheStateGoesOn(_ source: String, _ expected: LuaCallResult) throws {
        let limits = LuaLimits(instructions: 1_000_000, nanoseconds: 5_000_000_000, memoryBytes: 4 << 20)
        let state = try LuaConditionState(
            scripts: [("a.lua", source), ("b.lua", "function data(c) return true end")], limits: limits)
        let result = state.call(script: 0, .data, facts: Facts())
        if case .failed(.error(let message)) = expected, case .failed(.error(let actual)) = result {
            #expect(actual.contains(message), "\(actual)")
        } else {
            #expect(result == expected)
        }
        #expect(state.call(script: 1, .data, facts: Facts()) == .stop)
        #expect(state.call(script: 0, .data, facts: Facts()) == result)
    }

    @Test func aSlowLoopHitsTheTimeLimit() throws {
        // Few instructions, each slow: only the clock stops it.
        let limits = LuaLimits(instructions: Int.max / 2, nanoseconds: 20_000_000)
        let state = try LuaConditionState(
            scripts: [("slow.lua", "function data(c) while true do local s = string.rep('x', 100000) end end")],
            limits: limits)
        #expect(state.call(script: 0, .data, facts: Facts()) == .failed(.timeLimit))
    }

    @Test func theSandboxHasNoWayOut() throws {
        let source = """
            function data(c)
              return io == nil and os == nil and require == nil and load == nil and loadfile == nil
                and dofile == nil and debug == nil and package == nil and collectgarbage == nil
                and print == nil and rawset == nil and setmetatable == nil and getmetatable == nil
                and _G == nil and string.dump ~= nil and math.floor(2.5) == 2 and utf8.char(72) == "H"
                and table.concat({"a", "b"}) == "ab"
            end
            """
        let state = try LuaConditionState(scripts: [("sandbox.lua", source)])
        #expect(state.call(script: 0, .data, facts: Facts()) == .stop)
    }

    @Test func scriptsDoNotSeeEachOthersGlobals() throws {
        let first = "seen = 'first'; string.upper = nil; function data(c) return seen == 'first' end"
        let second = "function data(c) return seen == nil and string.upper('a') == 'A' and ('b'):upper() == 'B' end"
        let state = try LuaConditionState(scripts: [("1.lua", first), ("2.lua", second)])
        #expect(state.call(script: 0, .data, facts: Facts()) == .stop)
        #expect(state.call(script: 1, .data, facts: Facts()) == .stop)
    }

    /// Scripts that do not load, with the line of the problem.
    @Test(arguments: [
        ("function data(c)\n  return x +\nend\n", 3, "unexpected symbol near 'end'"),
        ("\u{1B}Lua\u{54}\u{00}", 0, "attempt to load a binary chunk"),
        ("while true do end", 0, "its top level: instruction budget exhausted"),
        ("\n\nerror('at load')", 3, "at load"),
    ])
    func loadErrorsNameTheLine(_ source: String, _ line: Int, _ message: String) {
        #expect(throws: LuaLoadError.self) { try LuaConditionState(scripts: [("x.lua", source)]) }
        do {
            _ = try LuaConditionState(scripts: [("x.lua", source)])
        } catch {
            #expect(error.script == "x.lua")
            #expect(error.line == line)
            #expect(error.message.contains(message), "\(error.message)")
        }
    }

    @Test func theCheckerReportsForTheConfiguration() {
        let checker = LuaScriptChecker()
        #expect(checker.problems(in: "function helo(c, h) return false end", file: "/x.lua").isEmpty)
        let problems = checker.problems(in: "function helo(c, h)\n  return (\nend", file: "/x.lua")
        #expect(problems.map(\.line) == [3])
    }

    /// The cost of one call on the hot path: Lua allocations (none for a script that builds
    /// nothing) and time (printed, not asserted).
    @Test func aWarmCallAllocatesNothingInLua() throws {
        let source = """
            function envelope_from(context, sender)
              return not context.authenticated and context.macros["{daemon_name}"] == "mx"
            end
            """
        let state = try LuaConditionState(scripts: [("cost.lua", source)])
        let facts = Facts()
        facts.macros["daemon_name"] = "mx"
        for _ in 0..<100 { _ = state.call(script: 0, .envelopeFrom("<user@example.com>"), facts: facts) }
        let before = state.allocationCount
        let calls = 20_000
        var start = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        for _ in 0..<calls { _ = state.call(script: 0, .envelopeFrom("<user@example.com>"), facts: facts) }
        var end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &end)
        let nanoseconds = Double(end.tv_sec - start.tv_sec) * 1e9 + Double(end.tv_nsec - start.tv_nsec)
        let allocations = state.allocationCount - before
        print(
            "Lua stopper call: \(nanoseconds / Double(calls) / 1000) µs, \(allocations) Lua allocations in \(calls) calls"
        )
        #expect(allocations == 0)
    }
}
