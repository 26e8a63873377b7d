// scripts/bench-lua.sh: 200000 warm calls of small stopper scripts, CPU time and allocations per call.
import Glibc

let counter = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "counting_allocations")?.assumingMemoryBound(to: UInt64.self)
func mallocs() -> UInt64 { counter?.pointee ?? 0 }
func fmt(_ x: Double) -> String { let v = (x * 1000).rounded() / 1000; return "\(v)" }

final class Facts: ScriptFacts {
    var milterName = "spamass-milter"
    var isAuthenticated = false
    var sessionsInProgress = 3
    var macros: [String: String] = ["daemon_name": "mx"]
    func macro(_ name: String) -> String? { macros[name] }
    func childResult(_ name: String) -> String? { nil }
}

func measure(_ label: String, _ source: String, _ arguments: StageArguments) {
    let state = try! LuaConditionState(scripts: [("bench.lua", source)])
    let facts = Facts()
    for _ in 0..<1000 { _ = state.call(script: 0, arguments, facts: facts) }
    let before = state.allocationCount
    let mallocBefore = mallocs()
    let calls = 200_000
    var start = timespec(); clock_gettime(CLOCK_THREAD_CPUTIME_ID, &start)
    var stops = 0
    for _ in 0..<calls { if state.call(script: 0, arguments, facts: facts) == .stop { stops += 1 } }
    var end = timespec(); clock_gettime(CLOCK_THREAD_CPUTIME_ID, &end)
    let ns = Double(end.tv_sec - start.tv_sec) * 1e9 + Double(end.tv_nsec - start.tv_nsec)
    print("\(label): \(fmt(ns / Double(calls) / 1000)) µs CPU/call, Lua allocations \(state.allocationCount - before) in \(calls) calls, process mallocs \(mallocs() - mallocBefore) (\(counter == nil ? "not counted" : "counted")), stops \(stops)")
}

measure("return false", "function data(context) return false end", .data)
measure("context.authenticated + macro", """
    function envelope_from(context, sender)
      return not context.authenticated and context.macros["{daemon_name}"] == "mx"
    end
    """, .envelopeFrom("<user@example.com>"))
measure("recipient pattern", """
    function envelope_recipient(context, recipient)
      return recipient:match("^<abuse@") ~= nil
    end
    """, .envelopeRecipient("<abuse@example.com>"))
measure("connect host+address", """
    function connect(context, host, address)
      return host:sub(-9) == ".internal" or address == "192.0.2.66"
    end
    """, .connect(host: "mail.example.com", address: "203.0.113.9"))
