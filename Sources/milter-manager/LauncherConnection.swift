import Dispatch
import Logging
import MilterControl
import MilterRuntime
import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#endif

/// The daemon's side of the launcher: starts it (while the daemon is still root), asks it to
/// start children and to read the configuration again, and turns what it reports into log
/// lines and into the children's health (`ChildHealthRegistry`).
final class LauncherConnection: Sendable {
    private struct State {
        var nextID = 1
        var starts: [Int: String] = [:]
        var reloads: [Int: ReloadWait] = [:]
        var running = true
        var stopping = false
        var problem: String?
    }

    /// A reload the daemon waits for.
    private final class ReloadWait: Sendable {
        let done = DispatchSemaphore(value: 0)
        let problem = NIOLockedValueBox<String?>(nil)
    }

    /// The launcher's process id.
    let pid: pid_t
    private let descriptor: Int32
    private let state = NIOLockedValueBox(State())
    private let logger: Logger

    private init(pid: pid_t, descriptor: Int32, logger: Logger) {
        self.pid = pid
        self.descriptor = descriptor
        self.logger = logger
    }

    /// Starts `executable --launcher` with the daemon's own `arguments`, its end of a new socket
    /// pair on descriptor 3, the daemon's standard descriptors and environment, every signal at
    /// its default action. Must be called while the daemon is still root.
    static func spawn(executable: String = "/proc/self/exe", arguments: [String], logger: Logger) -> Result<
        LauncherConnection, ConfigurationRehearsal.NotStarted
    > {
        func failure(_ code: Int32) -> Result<LauncherConnection, ConfigurationRehearsal.NotStarted> {
            .failure(ConfigurationRehearsal.NotStarted(reason: String(cString: strerror(code))))
        }
        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            return failure(errno)
        }
        var launcherEnd = pair[1]
        // dup2 onto the same number would keep close-on-exec set: move it off 3 first.
        if launcherEnd == LauncherProtocol.descriptor {
            launcherEnd = fcntl(pair[1], F_DUPFD_CLOEXEC, 10)
            close(pair[1])
        }
        defer { close(launcherEnd) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, launcherEnd, LauncherProtocol.descriptor)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var signals = sigset_t()
        sigfillset(&signals)
        posix_spawnattr_setsigdefault(&attributes, &signals)
        sigemptyset(&signals)
        posix_spawnattr_setsigmask(&attributes, &signals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let argv = (["milter-manager"] + arguments + ["--launcher"]).map { strdup($0) } + [nil]
        var environment: [UnsafeMutablePointer<CChar>?] = []
        var entry = environ
        while let pointer = entry.pointee {
            environment.append(strdup(pointer))
            entry += 1
        }
        environment.append(nil)
        defer { for pointer in argv + environment { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, environment)
        guard result == 0 else {
            close(pair[0])
            return failure(result)
        }
        return .success(LauncherConnection(pid: pid, descriptor: pair[0], logger: logger))
    }

    /// Reads the launcher's events on a thread of its own, reporting into `health`, until the
    /// launcher goes away (then no child can be started any more).
    func listen(health: ChildHealthRegistry) -> Bool {
        ReloadThread.start { [self] in
            var connection = LineConnection(descriptor: descriptor, maximumLine: LauncherProtocol.maximumEventLength)
            while let lines = connection.receive() {
                for line in lines {
                    guard let event = LauncherEvent(line: line) else {
                        logger.warning("[launcher][error] unreadable event from the launcher; ignored")
                        continue
                    }
                    handle(event, health: health)
                }
            }
            ended(health: health)
        }
    }

    /// Asks the launcher to start `milter` (the registry decided an attempt begins now).
    func start(_ milter: String, because reason: String) {
        let id = state.withLockedValue { state -> Int in
            defer { state.nextID += 1 }
            state.starts[state.nextID] = milter
            return state.nextID
        }
        logger.notice(
            "[launcher][request] \(milter): its connection failed (\(reason)); starting it")
        if !LineConnection(descriptor: descriptor, maximumLine: 0).send(
            LauncherRequest.start(id: id, milter: milter).line)
        {
            logger.error("[launcher][error] cannot reach the launcher to start \(milter)")
        }
    }

    /// Asks the launcher to read the configuration again and waits up to `timeout` seconds;
    /// nil when it did and will start children, else why it will not (or did not answer).
    func reload(timeout: Double) -> String? {
        let wait = ReloadWait()
        let id = state.withLockedValue { state -> Int? in
            guard state.running else { return nil }
            defer { state.nextID += 1 }
            state.reloads[state.nextID] = wait
            return state.nextID
        }
        guard let id else { return "the launcher is gone; restart milter-manager to start children again" }
        LineConnection(descriptor: descriptor, maximumLine: 0).send(LauncherRequest.reload(id: id).line)
        guard wait.done.wait(timeout: .now() + timeout) == .success else {
            _ = state.withLockedValue { $0.reloads.removeValue(forKey: id) }
            return "the launcher did not read the configuration within \(Int(timeout)) seconds"
        }
        return wait.problem.withLockedValue { $0 }
    }

    /// The launcher for the status.
    var status: ManagerStatus.Launcher {
        state.withLockedValue { ManagerStatus.Launcher(pid: Int(pid), running: $0.running, problem: $0.problem) }
    }

    /// Tells the launcher to exit (it sees the end of its socket); the children it started stay.
    func stop() {
        state.withLockedValue { $0.stopping = true }
        shutdown(descriptor, Int32(SHUT_RDWR))
    }

    private func handle(_ event: LauncherEvent, health: ChildHealthRegistry) {
        switch event {
        case .ready(let launcherPID, let problem):
            state.withLockedValue { $0.problem = problem }
            health.setStarting(problem.map { .unavailable($0) } ?? .available)
            if let problem {
                logger.warning("[launcher][ready] pid \(launcherPID); it starts no child: \(problem)")
            } else {
                logger.info("[launcher][ready] pid \(launcherPID)")
            }
        case .reloaded(let id, let problem):
            let wait = state.withLockedValue { state -> ReloadWait? in
                state.problem = problem
                return state.reloads.removeValue(forKey: id)
            }
            health.setStarting(problem.map { .unavailable($0) } ?? .available)
            if let problem { logger.warning("[launcher][reload] it starts no child: \(problem)") }
            wait?.problem.withLockedValue { $0 = problem }
            wait?.done.signal()
        case .refused(let id, let milter, let reason):
            state.withLockedValue { _ = $0.starts.removeValue(forKey: id) }
            logger.error("[launcher][refused] \(milter): \(reason)")
            health.attemptEnded(milter, result: "refused: \(reason)", succeeded: false)
        case .running(_, let milter, let pid, let command, let user):
            logger.notice("[launcher][start] \(milter): \(command) as \(user), pid \(pid)")
            health.attemptRunning(milter, pid: pid)
        case .ended(let id, let milter, let result, let succeeded, let output):
            state.withLockedValue { _ = $0.starts.removeValue(forKey: id) }
            let shown = output.isEmpty ? "" : ": " + output.split(separator: "\n").suffix(5).joined(separator: " | ")
            if succeeded {
                logger.notice("[launcher][success] \(milter): \(result)\(shown)")
            } else {
                logger.error("[launcher][failure] \(milter): \(result)\(shown)")
            }
            let tail = output.split(separator: "\n").last.map { ": " + $0.prefix(200) } ?? ""
            health.attemptEnded(milter, result: result + (succeeded ? "" : tail), succeeded: succeeded)
        }
    }

    private func ended(health: ChildHealthRegistry) {
        let (waits, stopping) = state.withLockedValue { state -> ([ReloadWait], Bool) in
            state.running = false
            state.problem = "the launcher exited; restart milter-manager to start children again"
            defer { state.reloads = [:] }
            return (Array(state.reloads.values), state.stopping)
        }
        for wait in waits {
            wait.problem.withLockedValue { $0 = "the launcher exited" }
            wait.done.signal()
        }
        var status: Int32 = 0
        var reaped: pid_t
        repeat { reaped = waitpid(pid, &status, 0) } while reaped < 0 && errno == EINTR
        let signal = status & 0x7f
        let how = signal != 0 ? "was killed by signal \(signal)" : "exited with status \((status >> 8) & 0xff)"
        if stopping {
            logger.info("[launcher][stop] the launcher (pid \(pid)) \(how)")
        } else {
            logger.error("[launcher][error] the launcher (pid \(pid)) \(how); children can no longer be started")
        }
        health.endAllAttempts(result: "the launcher exited")
        health.setStarting(.unavailable("the launcher exited; restart milter-manager to start children again"))
        close(descriptor)
    }
}
