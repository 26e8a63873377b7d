import Configuration
import Dispatch
import Logging
import MilterMetrics
import MilterRuntime
import MilterSupport
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import UnixSignals

#if canImport(Glibc)
    import Glibc
#endif

/// The proxy process (runtime.md §3.1): listen, drop privileges, open the log, lock and write
/// the PID file, optionally detach, serve until SIGTERM/SIGINT (graceful; a second one stops at
/// once), reload on SIGHUP, reopen the log on SIGUSR1.
struct Daemon {
    let options: ManagerOptions
    let loaded: LoadedConfiguration

    /// Runs the daemon; returns the exit status.
    func run() -> Int32 {
        let (runtime, problems) = RuntimeConfiguration.make(from: loaded.configuration, root: options.root)
        for problem in problems {
            StandardStream.error.writeLine(
                "milter-manager: \(problem.isError ? "error" : "warning"): \(problem.message)")
        }
        if problems.contains(where: \.isError) { return 78 }
        let configuration = loaded.configuration
        let pidPath = configuration.manager.pidFile.value.map { RootedPath.resolve($0, root: options.root) }
        // A second instance with the same PID file stops here, before it touches the socket.
        if let pidPath, let holder = PidFile.runningInstance(at: pidPath) {
            StandardStream.error.writeLine(
                "milter-manager: \(PidFile.Failure(path: pidPath, reason: .locked(pid: holder)).description)")
            return 1
        }
        // Started as root: the account to become (whatever privilege_mode says), and the run
        // directories it needs, made before anything is bound or written.
        var account: Account?
        var accountWarning: String?
        if geteuid() == 0 {
            switch PrivilegeDrop.account(for: configuration.security) {
            case .failure(let error):
                StandardStream.error.writeLine("milter-manager: \(error)")
                return 78
            case .success(let (found, warning)):
                account = found
                accountWarning = warning
            }
            var directories = [pidPath].compactMap { $0 }
            if case .unix(let path) = runtime.listenSpec { directories.append(path) }
            if case .unix(let path) = runtime.controller?.spec { directories.append(path) }
            for path in directories {
                if let account, let problem = PrivilegeDrop.prepareDirectory(of: path, for: account) {
                    StandardStream.error.writeLine("milter-manager: \(problem)")
                    return 1
                }
            }
        }
        let detach = configuration.manager.daemon.value
        var readiness: ReadinessPipe?
        if detach {
            switch ReadinessPipe.daemonize() {
            case .parent(let status): return status
            case .child(let pipe): readiness = pipe
            }
        }
        let sink = LogSink(
            flags: configuration.log.level.value.flags,
            path: detach ? (configuration.log.path.value ?? "/dev/null") : configuration.log.path.value,
            useSyslog: configuration.log.useSyslog.value, facility: configuration.log.syslogFacility.value)
        let logger = Logger(label: "milter-manager") { _ in MilterLogHandler(sink: sink) }
        for problem in problems { logger.warning("\(problem.message)") }
        if let accountWarning { logger.warning("[manager][user] \(accountWarning)") }
        Self.logLoad(loaded.result, logger: logger, prefix: "[manager][start]")
        // The launcher is started now, while this process is still root (the drop comes once
        // the sockets are bound), and stays the only process that is root afterwards.
        let launcher = configuration.security.privilegeMode.value ? Self.startLauncher(logger: logger) : nil
        if configuration.manager.maxFileDescriptors.value > 0 {
            var limit = rlimit(
                rlim_cur: rlim_t(configuration.manager.maxFileDescriptors.value),
                rlim_max: rlim_t(configuration.manager.maxFileDescriptors.value))
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) != 0 {
                logger.warning("[manager][rlimit] cannot set max_file_descriptors: errno \(errno)")
            }
        }
        let result = ResultBox()
        let semaphore = DispatchSemaphore(value: 0)
        let setup = Setup(
            runtime: runtime, configuration: configuration, options: options, logger: logger, sink: sink,
            pidPath: pidPath, account: account, readiness: readiness, launcher: launcher,
            files: loaded.result.loadedFiles)
        Task {
            result.set(await Self.serve(setup))
            semaphore.signal()
        }
        semaphore.wait()
        // Lines gathered in the event loops' last round, written before the process ends.
        sink.flush()
        switch result.value {
        case .status(let status):
            return status
        case .signal(let signal):
            // The second signal's default action, as the original does, now that the socket and
            // the PID file are gone; raised on the main thread, which does not block it.
            Glibc.signal(signal, SIG_DFL)
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, signal)
            pthread_sigmask(SIG_UNBLOCK, &set, nil)
            raise(signal)
            return 128 + signal
        }
    }

    /// What `serve` needs.
    private struct Setup: Sendable {
        var runtime: RuntimeConfiguration
        var configuration: ManagerConfiguration
        var options: ManagerOptions
        var logger: Logger
        var sink: LogSink
        var pidPath: String?
        var account: Account?
        var readiness: ReadinessPipe?
        var launcher: LauncherConnection?
        var files: [String]
    }

    private static func serve(_ setup: Setup) async -> DaemonExit {
        let logger = setup.logger
        let signals = await ManagerService.trapSignals()
        let health = ChildHealthRegistry(clock: SessionRegistry.systemMoment)
        health.configure(setup.runtime.catalog)
        // One event loop per core; every session stays on the loop that accepted it.
        let registry = SessionRegistry(health: health)
        let metricsSetting = setup.configuration.manager[ManagerKey.metricsConnectionSpec]
        let metrics = metricsSetting.value.map { _ in
            ManagerMetrics(sessionsInFlight: { registry.inProgress }, health: health)
        }
        let server = ManagerServer(
            group: MultiThreadedEventLoopGroup.singleton, configuration: setup.runtime, logger: logger,
            registry: registry, localEndpoint: { KernelTCPTable.localEndpoint(for: $0) },
            selfConnections: SelfConnectionGuard(processID: getpid()), observer: metrics)
        let launcher = setup.launcher
        if let launcher {
            health.setStarting(
                startAvailability(privilegeMode: setup.runtime.privilegeMode, launcher: launcher),
                starter: { name, reason in launcher.start(name, because: reason) })
            if !launcher.listen(health: health) {
                logger.error("[launcher][error] cannot read the launcher's events; children will not be started")
            }
        } else {
            health.setStarting(startAvailability(privilegeMode: setup.runtime.privilegeMode, launcher: nil))
        }
        do {
            try await server.start()
        } catch {
            return .status(fail("\(error)", logger: logger, readiness: setup.readiness))
        }
        // Bound before the privilege drop, like the MTA socket (a port below 1024 needs root).
        var metricsServer: MetricsServer?
        if let metrics, let spec = metricsSetting.value {
            do {
                metricsServer = try await MetricsServer.start(
                    spec: spec.spec, metrics: metrics, group: MultiThreadedEventLoopGroup.singleton)
                logger.notice("[manager][metrics] serving /metrics on \(spec)")
            } catch {
                await server.shutdown(grace: 0)
                return .status(
                    fail("\(metricsSetting.provenance): \(error)", logger: logger, readiness: setup.readiness))
            }
        }
        let board = DaemonStatusBoard(files: setup.files, startedAt: ConfigurationRehearsal.monotonicNow())
        let options = setup.options
        let reloader = Reloader(
            rehearsal: ConfigurationRehearsal(arguments: Array(CommandLine.arguments.dropFirst())), logger: logger,
            load: { Self.reload(options: options, logger: logger) },
            apply: { next in
                Self.apply(
                    next, server: server, launcher: launcher, controller: setup.runtime.controller, logger: logger)
            },
            observe: { outcome in
                board.reloaded(outcome)
                switch outcome {
                case .inForce: metrics?.reloaded(succeeded: true)
                case .notLoaded: metrics?.reloaded(succeeded: false)
                case .stopping: break
                }
            })
        var control: ControlServer?
        if let settings = setup.runtime.controller {
            let commands = ControlCommands(
                server: server, board: board, reloader: reloader, sink: setup.sink, launcher: launcher, logger: logger,
                now: ConfigurationRehearsal.monotonicNow)
            let started = ControlServer(
                group: MultiThreadedEventLoopGroup.singleton, settings: settings, logger: logger,
                handler: { await commands.handle($0) })
            do {
                try await started.start()
            } catch {
                await metricsServer?.stop()
                await server.shutdown(grace: 0)
                return .status(fail("\(error)", logger: logger, readiness: setup.readiness))
            }
            control = started
        }
        let sockets = [setup.runtime.listenSpec] + [setup.runtime.controller?.spec].compactMap { $0 }
        if let account = setup.account, let problem = PrivilegeDrop.apply(account, sockets: sockets) {
            await control?.shutdown()
            await metricsServer?.stop()
            await server.shutdown(grace: 0)
            return .status(fail(problem, logger: logger, readiness: setup.readiness))
        }
        // The log file is opened as the effective user, never as root before the drop.
        do {
            try setup.sink.openFile()
        } catch {
            await control?.shutdown()
            await server.shutdown(grace: 0)
            return .status(fail(error.description, logger: logger, readiness: setup.readiness))
        }
        var pidFile: PidFile?
        if let pidPath = setup.pidPath {
            do {
                pidFile = try PidFile(path: pidPath)
            } catch {
                await control?.shutdown()
                await server.shutdown(grace: 0)
                return .status(fail(error.description, logger: logger, readiness: setup.readiness))
            }
        }
        setup.readiness?.report(nil)
        let count = setup.runtime.children.count
        logger.notice(
            "[manager][start] milter-manager \(ProductVersion.number) listening on \(setup.runtime.listenSpec) with \(count) milter(s)"
        )
        let service = ManagerService(
            server: server, logger: logger, sink: setup.sink, reloader: reloader, signals: signals, control: control)
        let ending = await service.run()
        reloader.stop()
        await metricsServer?.stop()
        launcher?.stop()
        if let problem = pidFile?.remove() { logger.warning("[manager][stop] \(problem)") }
        if case .immediate(let signal) = ending { return .signal(signal.rawValue) }
        return .status(0)
    }

    static func fail(_ message: String, logger: Logger, readiness: ReadinessPipe?) -> Int32 {
        logger.error("[manager][error] \(message)")
        if let readiness {
            readiness.report(message)
        } else {
            StandardStream.error.writeLine("milter-manager: \(message)")
        }
        return 1
    }
}

/// How the serving task ended, handed to the main thread.
enum DaemonExit: Sendable {
    /// Exit with this status.
    case status(Int32)
    /// End with this signal's default action (a second SIGTERM/SIGINT).
    case signal(Int32)
}

/// The serving task's result, handed to the main thread.
final class ResultBox: Sendable {
    private let stored = NIOLockedValueBox(DaemonExit.status(0))
    var value: DaemonExit { stored.withLockedValue { $0 } }
    func set(_ value: DaemonExit) { stored.withLockedValue { $0 = value } }
}

/// Paths from the configuration are seen from inside `--root`.
enum RootedPath {
    static func resolve(_ path: String, root: String) -> String {
        guard root != "/", path.hasPrefix("/") else { return path }
        return (root.hasSuffix("/") ? String(root.dropLast()) : root) + path
    }
}
