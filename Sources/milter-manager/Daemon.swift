import Configuration
import Dispatch
import Logging
import MilterRuntime
import NIOCore
import NIOPosix
import ServiceLifecycle
import UnixSignals

#if canImport(Glibc)
    import Glibc
#endif

/// The proxy process (runtime.md §3.1): listen, drop privileges, optionally detach, write the
/// PID file, serve until SIGTERM/SIGINT (graceful), reload on SIGHUP, reopen the log on SIGUSR1.
struct Daemon {
    let options: ManagerOptions
    let loaded: LoadedConfiguration

    /// Runs the daemon; returns the exit status.
    func run() -> Int32 {
        let (runtime, problems) = RuntimeConfiguration.make(from: loaded.configuration, root: options.root)
        for problem in problems {
            StandardError.write("milter-manager: \(problem.isError ? "error" : "warning"): \(problem.message)")
        }
        if problems.contains(where: \.isError) { return 78 }
        let configuration = loaded.configuration
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
        let options = self.options
        Task {
            let status = await Self.serve(
                runtime: runtime, configuration: configuration, options: options, logger: logger, sink: sink,
                readiness: readiness)
            result.set(status)
            semaphore.signal()
        }
        semaphore.wait()
        return result.value
    }

    private static func serve(
        runtime: RuntimeConfiguration, configuration: ManagerConfiguration, options: ManagerOptions, logger: Logger,
        sink: LogSink, readiness: ReadinessPipe?
    ) async -> Int32 {
        // One event loop per core; every session stays on the loop that accepted it.
        let group = MultiThreadedEventLoopGroup.singleton
        let server = ManagerServer(
            group: group, configuration: runtime, logger: logger,
            localEndpoint: { KernelTCPTable.localEndpoint(for: $0) })
        do {
            try await server.start()
        } catch {
            return fail("\(error)", logger: logger, readiness: readiness)
        }
        if let problem = PrivilegeDrop.apply(
            user: configuration.security.effectiveUser.value, group: configuration.security.effectiveGroup.value,
            socket: runtime.listenSpec)
        {
            await server.shutdown(grace: 0)
            return fail(problem, logger: logger, readiness: readiness)
        }
        let pidFile = configuration.manager.pidFile.value.map { RootedPath.resolve($0, root: options.root) }
        if let pidFile {
            let previous = umask(0o022)
            defer { umask(previous) }
            let descriptor = open(pidFile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                await server.shutdown(grace: 0)
                return fail(
                    "cannot write the PID file \(pidFile): \(String(cString: strerror(errno)))", logger: logger,
                    readiness: readiness)
            }
            var text = "\(getpid())\n"
            text.withUTF8 { _ = write(descriptor, $0.baseAddress, $0.count) }
            close(descriptor)
        }
        readiness?.report(nil)
        logger.notice(
            "[manager][start] milter-manager \(ProductVersion.number) listening on \(runtime.listenSpec) with \(runtime.children.count) milter(s)"
        )
        let service = ManagerService(
            server: server, logger: logger, sink: sink,
            reload: {
                let reloaded = options.loadConfiguration()
                guard reloaded.result.errors.isEmpty else {
                    for error in reloaded.result.errors {
                        logger.error(
                            "[manager][reload] \(ConfigurationErrorReport.render(error, program: "milter-manager", root: reloaded.loader.root))"
                        )
                    }
                    logger.error("[manager][reload] configuration has errors; keeping the running one")
                    return nil
                }
                let (next, problems) = RuntimeConfiguration.make(from: reloaded.configuration, root: options.root)
                for problem in problems { logger.warning("[manager][reload] \(problem.message)") }
                return problems.contains(where: \.isError) ? nil : next
            })
        let serviceGroup = ServiceGroup(
            services: [service], gracefulShutdownSignals: [.sigterm, .sigint], cancellationSignals: [], logger: logger)
        do {
            try await serviceGroup.run()
        } catch {
            logger.error("[manager][error] \(error)")
        }
        if let pidFile, unlink(pidFile) != 0, errno != ENOENT {
            logger.warning("[manager][stop] cannot remove the PID file \(pidFile): \(String(cString: strerror(errno)))")
        }
        return 0
    }

    private static func fail(_ message: String, logger: Logger, readiness: ReadinessPipe?) -> Int32 {
        logger.error("[manager][error] \(message)")
        if let readiness {
            readiness.report(message)
        } else {
            StandardError.write("milter-manager: \(message)")
        }
        return 1
    }
}

/// The running proxy as a service: SIGHUP reloads, SIGUSR1 reopens the log, graceful shutdown
/// stops accepting and lets sessions in flight finish.
struct ManagerService: Service {
    let server: ManagerServer
    let logger: Logger
    let sink: LogSink
    let reload: @Sendable () -> RuntimeConfiguration?

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup, .sigusr1)
        let server = self.server
        let reload = self.reload
        let sink = self.sink
        let logger = self.logger
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await signal in signals {
                    if signal == .sighup {
                        logger.info("[manager][reload] SIGHUP")
                        if let next = reload() { server.reload(next) }
                    } else {
                        sink.reopen()
                    }
                }
            }
            try? await gracefulShutdown()
            group.cancelAll()
        }
        logger.info("[manager][stop] shutting down")
        await server.shutdown(grace: 30)
    }
}

/// An exit status handed from the serving task to the main thread.
final class ResultBox: @unchecked Sendable {
    private let lock = NIOLockedInt()
    var value: Int32 { lock.get() }
    func set(_ value: Int32) { lock.set(value) }
}

/// A locked Int32 without Foundation.
final class NIOLockedInt: @unchecked Sendable {
    private var stored: Int32 = 0
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    func get() -> Int32 {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return stored
    }
    func set(_ value: Int32) {
        pthread_mutex_lock(&mutex)
        stored = value
        pthread_mutex_unlock(&mutex)
    }
}

/// Paths from the configuration are seen from inside `--root`.
enum RootedPath {
    static func resolve(_ path: String, root: String) -> String {
        guard root != "/", path.hasPrefix("/") else { return path }
        return (root.hasSuffix("/") ? String(root.dropLast()) : root) + path
    }
}
