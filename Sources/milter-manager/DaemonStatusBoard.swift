import MilterControl
import NIOConcurrencyHelpers

/// What the daemon knows about itself for `status`: when it started, the configuration in
/// force (files, when loaded) and how the last reload ended.
final class DaemonStatusBoard: Sendable {
    private struct State {
        var configuration: ManagerStatus.LoadedConfiguration
        var lastReload: ManagerStatus.LastReload?
    }

    /// When the daemon started (monotonic nanoseconds).
    let startedAt: UInt64
    private let state: NIOLockedValueBox<State>
    private let wallClock: @Sendable () -> Double

    /// A board for a daemon that loaded `files` at start.
    init(files: [String], startedAt: UInt64, wallClock: @escaping @Sendable () -> Double = UTCTime.now) {
        self.startedAt = startedAt
        self.wallClock = wallClock
        state = NIOLockedValueBox(
            State(configuration: ManagerStatus.LoadedConfiguration(files: files, loadedAt: wallClock())))
    }

    /// A reload ended.
    func reloaded(_ outcome: ReloadOutcome) {
        let now = wallClock()
        state.withLockedValue { state in
            switch outcome {
            case .inForce(let files, _):
                state.configuration = ManagerStatus.LoadedConfiguration(files: files, loadedAt: now)
                state.lastReload = ManagerStatus.LastReload(at: now, loaded: true, reason: nil)
            case .notLoaded(let reason):
                state.lastReload = ManagerStatus.LastReload(at: now, loaded: false, reason: reason)
            case .stopping:
                break
            }
        }
    }

    /// The configuration in force and the last reload.
    var current: (configuration: ManagerStatus.LoadedConfiguration, lastReload: ManagerStatus.LastReload?) {
        state.withLockedValue { ($0.configuration, $0.lastReload) }
    }
}
