import Configuration
import NIOPosix
import Testing

@testable import MilterRuntime

/// The Lua states of a configuration: one per event loop of the group, each with every script;
/// a script that does not load gives no state at all and says why (its milters then fall back).
struct LuaStatePoolTests {
    static func script(_ path: String, _ source: String) -> ConditionScript {
        ConditionScript(path: path, resolvedPath: "/etc/milter-manager/" + path, source: source, definedAt: .default)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var sources: [String]
        var failureLine: Int?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "two scripts", sources: ["function connect(c) return false end", "x = 1"]),
        Case(name: "a top level that raises", sources: ["x = 1", "\n\nerror('no')"], failureLine: 3),
        Case(name: "a syntax error", sources: ["function connect(c)\n  return (\nend"], failureLine: 3),
    ]

    @Test(arguments: cases)
    func oneStatePerLoopOrNoneWithTheReason(_ testCase: Case) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 3)
        let loops = LuaStatePool.loops(of: group)
        #expect(loops.count == 3)
        let scripts = testCase.sources.enumerated().map { Self.script("s\($0.offset).lua", $0.element) }
        let pool = LuaStatePool(scripts: scripts, loops: loops)
        let states = loops.compactMap { pool.state(for: $0) }
        if let line = testCase.failureLine {
            #expect(states.isEmpty)
            #expect(pool.failure?.line == line, "\(String(describing: pool.failure))")
        } else {
            #expect(pool.failure == nil)
            #expect(states.count == 3)
            #expect(Set(states.map(ObjectIdentifier.init)).count == 3, "each loop has a state of its own")
            #expect(states.allSatisfy { $0.scriptNames == ["s0.lua", "s1.lua"] })
        }
        let other = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        #expect(pool.state(for: other.next()) == nil, "a loop of another group has no state")
        try await other.shutdownGracefully()
        try await group.shutdownGracefully()
    }
}
