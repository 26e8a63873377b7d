import MilterControl
import MilterRuntime
import NIOConcurrencyHelpers
import Testing

/// The children's health and the decision to start a child (issue 16), on an injected clock:
/// at most one attempt at a time, a back-off that doubles, a fresh count after a quiet time,
/// nothing started by status checks or when starting is unavailable.
@Suite("Child health and starts")
struct ChildHealthTests {
    /// A clock the test moves.
    final class Clock: Sendable {
        private let seconds = NIOLockedValueBox(1000.0)
        func advance(_ by: Double) { seconds.withLockedValue { $0 += by } }
        var moment: HealthMoment {
            let now = seconds.withLockedValue { $0 }
            return HealthMoment(monotonic: UInt64(now * 1e9), wall: 1_796_400_000 + now)
        }
    }

    enum Step: Sendable, CustomStringConvertible {
        case fail, check, connect, advance(Double), ended(Bool)

        var description: String {
            switch self {
            case .fail: return "fail"
            case .check: return "check fails"
            case .connect: return "connect"
            case .advance(let seconds): return "+\(seconds)s"
            case .ended(let ok): return ok ? "ok" : "failed"
            }
        }
    }

    /// Steps, and after each `fail` whether an attempt began (`true`/`false` in order).
    static let scripts: [(String, [Step], [Bool])] = [
        (
            "one attempt at a time, then the first wait",
            [.fail, .fail, .fail, .ended(true), .fail, .advance(5), .fail],
            [true, false, false, false, true]
        ),
        (
            "the wait doubles",
            [
                .fail, .ended(false), .advance(4.9), .fail, .advance(0.1), .fail, .ended(false), .advance(9.9), .fail,
                .advance(0.1), .fail,
            ],
            [true, false, true, false, true]
        ),
        (
            "status checks start nothing", [.check, .check, .fail],
            [true]
        ),
        (
            "a quiet time starts the count anew",
            [
                .fail, .ended(false), .advance(5), .fail, .ended(false), .advance(10), .fail, .ended(false),
                .advance(600), .fail,
            ],
            [true, true, true, true]
        ),
    ]

    static func registry(clock: Clock, command: String? = "/bin/true", enabled: Bool = true)
        -> (ChildHealthRegistry, NIOLockedValueBox<[String]>)
    {
        let registry = ChildHealthRegistry(clock: { clock.moment })
        registry.configure([
            MilterCatalogEntry(name: "child", enabled: enabled, connectionSpec: "unix:/x", command: command)
        ])
        let starts = NIOLockedValueBox<[String]>([])
        registry.setStarting(.available, starter: { name, _ in starts.withLockedValue { $0.append(name) } })
        return (registry, starts)
    }

    @Test(arguments: scripts)
    func attemptsFollowTheBackOff(_ name: String, _ steps: [Step], _ expected: [Bool]) {
        let clock = Clock()
        let (registry, starts) = Self.registry(clock: clock)
        var began: [Bool] = []
        for step in steps {
            let before = starts.withLockedValue { $0.count }
            switch step {
            case .fail:
                registry.connectFailed("child", reason: "refused")
                began.append(starts.withLockedValue { $0.count } > before)
            case .check:
                registry.connectFailed("child", reason: "refused", mayStart: false)
                #expect(starts.withLockedValue { $0.count } == before, "a status check started the child")
            case .connect:
                registry.connected("child")
            case .advance(let seconds):
                clock.advance(seconds)
            case .ended(let ok):
                registry.attemptEnded(
                    "child", result: ok ? "exited with status 0" : "exited with status 1", succeeded: ok)
            }
        }
        #expect(began == expected, "\(name): \(steps)")
    }

    @Test func theBackOffDoublesUpToItsMaximum() {
        let backoff = ChildStartBackoff()
        #expect((0...9).map { backoff.delay(afterAttempts: $0) } == [0, 5, 10, 20, 40, 80, 160, 300, 300, 300])
        #expect(backoff.delay(afterAttempts: Int.max) == 300)
    }

    @Test func theStatusShowsAttemptsAndTheWait() throws {
        let clock = Clock()
        let (registry, _) = Self.registry(clock: clock)
        registry.connectFailed("child", reason: "Connection refused")
        registry.attemptRunning("child", pid: 4321)
        var status = try #require(registry.snapshot().first)
        #expect(status.reachable == false && status.lastError == "Connection refused")
        #expect(status.start.runningPID == 4321 && status.start.nextAttemptInSeconds == nil)
        clock.advance(1)
        registry.attemptEnded("child", result: "exited with status 3: oops", succeeded: false)
        clock.advance(2)
        status = try #require(registry.snapshot().first)
        #expect(status.start.attempts == 1 && status.start.runningPID == nil)
        #expect(status.start.lastResult == "exited with status 3: oops")
        #expect(status.start.nextAttemptInSeconds == 3)
        #expect(status.startedByManager == false)
    }

    @Test func aChildItStartedAndReachedIsStartedByTheManagerUntilItFails() throws {
        let clock = Clock()
        let (registry, _) = Self.registry(clock: clock)
        registry.connectFailed("child", reason: "refused")
        registry.attemptEnded("child", result: "exited with status 0", succeeded: true)
        registry.connectFailed("child", reason: "not listening yet")
        registry.connected("child")
        #expect(try #require(registry.snapshot().first).startedByManager)
        registry.connected("child")
        #expect(try #require(registry.snapshot().first).startedByManager)
        registry.connectFailed("child", reason: "refused", mayStart: false)
        #expect(try #require(registry.snapshot().first).startedByManager == false)
        registry.connected("child")
        #expect(try #require(registry.snapshot().first).startedByManager == false, "someone else started it")
    }

    @Test func aFailedCommandDidNotStartIt() throws {
        let clock = Clock()
        let (registry, _) = Self.registry(clock: clock)
        registry.connectFailed("child", reason: "refused")
        registry.attemptEnded("child", result: "exited with status 1", succeeded: false)
        registry.connected("child")
        #expect(try #require(registry.snapshot().first).startedByManager == false)
    }

    /// (availability, command, enabled, the reason shown)
    static let unstartable: [(ChildHealthRegistry.StartAvailability, String?, Bool, String?)] = [
        (.unavailable("security.privilege_mode is off"), "/bin/true", true, "security.privilege_mode is off"),
        (.available, nil, true, nil),
        (.available, "/bin/true", false, "the milter is disabled"),
    ]

    @Test(arguments: unstartable)
    func nothingIsStartedWithoutPrivilegeModeCommandOrWhenDisabled(
        _ availability: ChildHealthRegistry.StartAvailability, _ command: String?, _ enabled: Bool, _ reason: String?
    ) throws {
        let clock = Clock()
        let (registry, starts) = Self.registry(clock: clock, command: command, enabled: enabled)
        registry.setStarting(availability)
        registry.connectFailed("child", reason: "refused")
        #expect(starts.withLockedValue { $0 }.isEmpty)
        let status = try #require(registry.snapshot().first)
        #expect(status.start.unavailable == reason)
        #expect(status.start.command == command)
    }

    @Test func aGoneLauncherEndsEveryAttempt() throws {
        let clock = Clock()
        let (registry, _) = Self.registry(clock: clock)
        registry.connectFailed("child", reason: "refused")
        registry.endAllAttempts(result: "the launcher exited")
        let status = try #require(registry.snapshot().first)
        #expect(status.start.runningPID == nil && status.start.lastResult == "the launcher exited")
    }

    @Test func aReloadKeepsTheChildrenStillDefined() {
        let clock = Clock()
        let (registry, _) = Self.registry(clock: clock)
        registry.connected("child")
        registry.configure([
            MilterCatalogEntry(name: "child", enabled: true, connectionSpec: "unix:/x", command: nil),
            MilterCatalogEntry(name: "new", enabled: true, connectionSpec: "unix:/y", command: nil),
        ])
        #expect(registry.snapshot().map(\.reachable) == [true, nil])
        #expect(registry.staleChildren(olderThan: 0) == ["child", "new"])
        #expect(registry.staleChildren(olderThan: 1) == ["new"])
    }
}
