import MilterRuntime
import NIOConcurrencyHelpers
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// A reload tried first in a separate process: this executable with the daemon's own options
/// and `--show-config` (output discarded), which loads the configuration exactly as the daemon
/// would. Whatever a configuration does to that process (a crash, running out of memory,
/// blocking on a FIFO) cannot reach the running daemon; only when it exits 0 or 78 (loaded, with
/// or without errors) is the configuration loaded in the daemon itself.
struct ConfigurationRehearsal: Sendable {
    /// How a rehearsal ended.
    enum Outcome: Hashable, Sendable {
        /// It loaded (exit 0) or reported configuration errors (exit 78): loading in the daemon is safe.
        case loaded
        /// It exited with another status.
        case failed(status: Int32)
        /// A signal ended it (a crash: SIGSEGV, SIGABRT, SIGKILL from the kernel's OOM killer).
        case crashed(signal: Int32)
        /// It took longer than the time allowed and was killed.
        case timedOut
        /// It could not be started (then the daemon loads as it did before rehearsals).
        case notStarted(reason: String)
        /// The daemon is stopping; it was killed.
        case cancelled
    }

    /// The executable (`/proc/self/exe`: the running binary, even if replaced on disk since).
    var executable = "/proc/self/exe"
    /// The daemon's own arguments, without the program name.
    var arguments: [String]
    /// Seconds a rehearsal may take.
    var timeout: Double = 60

    /// A running check. Polling and killing reap it under one lock, so that a pid is never
    /// signalled after it was reaped (and perhaps reused), and nothing is left unreaped.
    final class Check: Sendable {
        private struct State {
            var pid: pid_t
            var status: Int32?
            var killed = false
        }

        private let state: NIOLockedValueBox<State>

        init(pid: pid_t) {
            state = NIOLockedValueBox(State(pid: pid))
        }

        /// The wait status once it has exited (reaped now), else nil.
        func poll() -> Int32? {
            state.withLockedValue { state in
                if state.status == nil {
                    var status: Int32 = 0
                    let reaped = waitpid(state.pid, &status, WNOHANG)
                    if reaped == state.pid || (reaped < 0 && errno == ECHILD) { state.status = status }
                }
                return state.status
            }
        }

        /// Kills and reaps it (if it still runs).
        func kill() {
            state.withLockedValue { state in
                state.killed = true
                guard state.status == nil else { return }
                Glibc.kill(state.pid, SIGKILL)
                var status: Int32 = 0
                while waitpid(state.pid, &status, 0) < 0 && errno == EINTR {}
                state.status = status
            }
        }

        /// Whether `kill()` was called.
        var wasKilled: Bool { state.withLockedValue { $0.killed } }
    }

    /// Why a check could not be started.
    struct NotStarted: Error {
        /// strerror of what failed.
        var reason: String
    }

    /// Starts the check.
    func start() -> Result<Check, NotStarted> {
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        guard null >= 0 else { return .failure(NotStarted(reason: String(cString: strerror(errno)))) }
        defer { close(null) }
        // The daemon's environment (MILTER_MANAGER_CONFIG_DIR and the like); a crash is only
        // counted, so the Swift runtime need not spend seconds printing a backtrace nobody reads.
        let environment =
            ["SWIFT_BACKTRACE=enable=no"]
            + SelfProcess.currentEnvironment().filter { !$0.hasPrefix("SWIFT_BACKTRACE=") }
        let spawned = SelfProcess.spawn(
            executable: executable, arguments: arguments + ["--show-config"],
            descriptors: (0...2).map { (source: null, target: $0) }, environment: environment)
        return spawned.map { Check(pid: $0) }
    }

    /// Waits for a started check (killing it after `timeout` seconds) and says how it ended.
    func wait(for check: Check) -> Outcome {
        let deadline = Self.monotonicNow() &+ UInt64(TimeAmount.saturating(seconds: timeout).nanoseconds)
        var status: Int32
        while true {
            if let ended = check.poll() {
                status = ended
                break
            }
            if Self.monotonicNow() >= deadline {
                check.kill()
                return .timedOut
            }
            usleep(10_000)
        }
        if check.wasKilled { return .cancelled }
        // WIFEXITED / WEXITSTATUS / WTERMSIG spelled out (the macros are not imported).
        let signal = status & 0x7f
        guard signal == 0 else { return .crashed(signal: signal) }
        let exitStatus = (status >> 8) & 0xff
        return exitStatus == 0 || exitStatus == 78 ? .loaded : .failed(status: exitStatus)
    }

    static func monotonicNow() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
    }
}

extension ConfigurationRehearsal.Outcome: CustomStringConvertible {
    /// What happened, for the log.
    var description: String {
        switch self {
        case .loaded: return "it loaded"
        case .failed(let status): return "the check exited with status \(status)"
        case .crashed(let signal): return "the check crashed (\(String(cString: strsignal(signal))))"
        case .timedOut: return "the check did not finish in time and was stopped"
        case .notStarted(let reason): return "the check could not be started (\(reason))"
        case .cancelled: return "the daemon is stopping"
        }
    }
}
