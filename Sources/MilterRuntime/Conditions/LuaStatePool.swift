import Configuration
import MilterScripting
import NIOCore

/// The Lua states of one configuration: one per event loop, each holding every condition
/// script, created when the configuration is loaded or reloaded (`ManagerServer`), so a session
/// only looks its loop's state up. A state is used on its own loop only (sessions never leave
/// the loop that accepted them), which is why the pool can be shared although a state is not
/// `Sendable`.
public final class LuaStatePool: @unchecked Sendable {
    /// Each loop's state, by the loop's identity; never changed after `init`.
    private let states: [ObjectIdentifier: LuaConditionState]
    /// Why the states could not be made (a script that does not load into one state with the
    /// others), nil when they were: every scripted condition then applies its milter's fallback.
    public let failure: LuaLoadError?

    /// States for `loops` with `scripts` loaded (in order: a condition's script index is its
    /// position), under `limits`.
    public init(scripts: [ConditionScript], loops: [any EventLoop], limits: LuaLimits = LuaLimits()) {
        let sources = scripts.map { (name: $0.path, source: $0.source) }
        var states: [ObjectIdentifier: LuaConditionState] = [:]
        var failure: LuaLoadError?
        for loop in loops {
            do {
                states[ObjectIdentifier(loop)] = try LuaConditionState(scripts: sources, limits: limits)
            } catch {
                failure = error
                states.removeAll()
                break
            }
        }
        self.states = states
        self.failure = failure
    }

    /// The state of `loop`; nil when the pool was made for other loops or failed.
    public func state(for loop: any EventLoop) -> LuaConditionState? { states[ObjectIdentifier(loop)] }

    /// The loops of `group`, for `init`.
    public static func loops(of group: any EventLoopGroup) -> [any EventLoop] {
        var loops: [any EventLoop] = []
        for loop in group.makeIterator() { loops.append(loop) }
        return loops
    }
}
