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
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for target: Int32 in 0...2 { posix_spawn_file_actions_adddup2(&actions, null, target) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The daemon ignores the signals it traps; the rehearsal starts with default actions.
        var signals = sigset_t()
        sigfillset(&signals)
        posix_spawnattr_setsigdefault(&attributes, &signals)
        sigemptyset(&signals)
        posix_spawnattr_setsigmask(&attributes, &signals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let argv = (["milter-manager"] + arguments + ["--show-config"]).map { strdup($0) } + [nil]
        // The daemon's environment (MILTER_MANAGER_CONFIG_DIR and the like); a crash is only
        // counted, so the Swift runtime need not spend seconds printing a backtrace nobody reads.
        var environment: [String] = ["SWIFT_BACKTRACE=enable=no"]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if !text.hasPrefix("SWIFT_BACKTRACE=") { environment.append(text) }
            entry += 1
        }
        let envp = environment.map { strdup($0) } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else { return .failure(NotStarted(reason: String(cString: strerror(result)))) }
        return .success(Check(pid: pid))
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
