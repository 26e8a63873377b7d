import Logging
import MilterRuntime
import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#endif

/// Reloads (SIGHUP, `milter-manager-ctl reload`), carried out on a thread of their own so
/// that the signal handling path never waits for one (SIGTERM is honoured while a reload reads
/// a slow or blocking file). Requests that arrive while a reload runs are folded into one more
/// reload after it, which answers all of them (it reads the files after they asked). Each
/// reload is first rehearsed in a separate process (`ConfigurationRehearsal`); whatever fails,
/// the running configuration stays.
final class Reloader: Sendable {
    /// Told how the reload ended.
    typealias Completion = @Sendable (ReloadOutcome) -> Void

    private struct State {
        var running = false
        var pending = false
        var stopped = false
        var check: ConfigurationRehearsal.Check?
        /// Answered by the next reload that starts.
        var waiting: [Completion] = []
    }

    private let state = NIOLockedValueBox(State())
    private let rehearsal: ConfigurationRehearsal?
    private let load: @Sendable () -> Result<ReloadedConfiguration, ReloadFailure>
    private let apply: @Sendable (ReloadedConfiguration) -> String?
    private let observe: @Sendable (ReloadOutcome) -> Void
    private let logger: Logger

    /// `load` reads the configuration in this process (a failure keeps the running one, its
    /// errors already logged); `apply` installs it and returns a note on what did not follow
    /// (nil: everything did); `observe` hears how every reload ended; `rehearsal` nil loads
    /// without rehearsing.
    init(
        rehearsal: ConfigurationRehearsal?, logger: Logger,
        load: @escaping @Sendable () -> Result<ReloadedConfiguration, ReloadFailure>,
        apply: @escaping @Sendable (ReloadedConfiguration) -> String?,
        observe: @escaping @Sendable (ReloadOutcome) -> Void = { _ in }
    ) {
        self.rehearsal = rehearsal
        self.logger = logger
        self.load = load
        self.apply = apply
        self.observe = observe
    }

    /// Asks for a reload; returns at once. `completion` (on the reload thread) is told how the
    /// reload that reads the files after this request ended.
    func request(completion: Completion? = nil) {
        enum Decision { case stopped, folded, start }
        let decision = state.withLockedValue { state -> Decision in
            guard !state.stopped else { return .stopped }
            if let completion { state.waiting.append(completion) }
            if state.running {
                state.pending = true
                return .folded
            }
            state.running = true
            return .start
        }
        switch decision {
        case .stopped:
            completion?(.stopping)
        case .folded:
            logger.info("[manager][reload] a reload is running; one more follows it")
        case .start:
            if !ReloadThread.start({ [self] in loop() }) {
                let waiting = state.withLockedValue { state -> [Completion] in
                    state.running = false
                    defer { state.waiting = [] }
                    return state.waiting
                }
                let reason = "cannot start the reload thread; keeping the running configuration"
                logger.error("[manager][reload] \(reason)")
                for waiter in waiting { waiter(.notLoaded(reason: reason)) }
            }
        }
    }

    /// No more reloads; a rehearsal in progress is killed and reaped. A reload blocked in this
    /// process does not delay the exit.
    func stop() {
        let (check, waiting) = state.withLockedValue { state -> (ConfigurationRehearsal.Check?, [Completion]) in
            state.stopped = true
            // A reload running now answers its own; the ones waiting for the next get this.
            defer { if !state.running { state.waiting = [] } }
            return (state.check, state.running ? [] : state.waiting)
        }
        check?.kill()
        for waiter in waiting { waiter(.stopping) }
    }

    private func loop() {
        while true {
            let waiting = state.withLockedValue { state -> [Completion] in
                defer { state.waiting = [] }
                return state.waiting
            }
            let outcome = reloadOnce()
            observe(outcome)
            for waiter in waiting { waiter(outcome) }
            let (again, left) = state.withLockedValue { state -> (Bool, [Completion]) in
                if state.pending && !state.stopped {
                    state.pending = false
                    return (true, [])
                }
                state.running = false
                defer { state.waiting = [] }
                return (false, state.waiting)
            }
            for waiter in left { waiter(.stopping) }
            if !again { return }
        }
    }

    private func reloadOnce() -> ReloadOutcome {
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
                let reason =
                    "the new configuration was not loaded: \(outcome); keeping the running one "
                    + "(run milter-manager --show-config with the same options to see why)"
                logger.error("[manager][reload] \(reason)")
                return .notLoaded(reason: reason)
            case .cancelled:
                return .stopping
            }
        }
        if state.withLockedValue({ $0.stopped }) { return .stopping }
        switch load() {
        case .failure(let failure):
            return .notLoaded(reason: failure.reason)
        case .success(let next):
            let note = apply(next)
            return .inForce(files: next.files, note: note)
        }
    }
}
