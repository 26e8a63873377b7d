import Logging
import MilterRuntime
import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#endif

/// SIGHUP reloads, carried out on a thread of their own so that the signal handling path never
/// waits for one (SIGTERM is honoured while a reload reads a slow or blocking file). Requests
/// that arrive while a reload runs are folded into one more reload after it. Each reload is
/// first rehearsed in a separate process (`ConfigurationRehearsal`); whatever fails, the
/// running configuration stays.
final class Reloader: Sendable {
    private struct State {
        var running = false
        var pending = false
        var stopped = false
        var check: ConfigurationRehearsal.Check?
    }

    private let state = NIOLockedValueBox(State())
    private let rehearsal: ConfigurationRehearsal?
    private let load: @Sendable () -> RuntimeConfiguration?
    private let apply: @Sendable (RuntimeConfiguration) -> Void
    private let logger: Logger

    /// `load` reads the configuration in this process (nil: keep the running one, already
    /// logged); `apply` installs it; `rehearsal` nil loads without rehearsing.
    init(
        rehearsal: ConfigurationRehearsal?, logger: Logger, load: @escaping @Sendable () -> RuntimeConfiguration?,
        apply: @escaping @Sendable (RuntimeConfiguration) -> Void
    ) {
        self.rehearsal = rehearsal
        self.logger = logger
        self.load = load
        self.apply = apply
    }

    /// Asks for a reload; returns at once.
    func request() {
        let start = state.withLockedValue { state -> Bool in
            guard !state.stopped else { return false }
            if state.running {
                state.pending = true
                return false
            }
            state.running = true
            return true
        }
        guard start else {
            logger.info("[manager][reload] a reload is running; one more follows it")
            return
        }
        if !ReloadThread.start({ [self] in loop() }) {
            state.withLockedValue { $0.running = false }
            logger.error("[manager][reload] cannot start the reload thread; keeping the running configuration")
        }
    }

    /// No more reloads; a rehearsal in progress is killed and reaped. A reload blocked in this
    /// process does not delay the exit.
    func stop() {
        let check = state.withLockedValue { state -> ConfigurationRehearsal.Check? in
            state.stopped = true
            return state.check
        }
        check?.kill()
    }

    private func loop() {
        while true {
            reloadOnce()
            let again = state.withLockedValue { state -> Bool in
                if state.pending && !state.stopped {
                    state.pending = false
                    return true
                }
                state.running = false
                return false
            }
            if !again { return }
        }
    }

    private func reloadOnce() {
        if let rehearsal {
            let outcome: ConfigurationRehearsal.Outcome
            switch rehearsal.start() {
            case .failure(let failure):
                outcome = .notStarted(reason: failure.reason)
            case .success(let check):
                let stopped = state.withLockedValue { state -> Bool in
                    state.check = check
                    return state.stopped
                }
                if stopped { check.kill() }
                outcome = rehearsal.wait(for: check)
                state.withLockedValue { $0.check = nil }
            }
            switch outcome {
            case .loaded:
                break
            case .notStarted:
                logger.warning("[manager][reload] \(outcome); loading without the separate check")
            case .failed, .crashed, .timedOut:
                let message =
                    "[manager][reload] the new configuration was not loaded: \(outcome); keeping the running one "
                    + "(run milter-manager --show-config with the same options to see why)"
                logger.error("\(message)")
                return
            case .cancelled:
                return
            }
        }
        if state.withLockedValue({ $0.stopped }) { return }
        if let next = load() { apply(next) }
    }
}
