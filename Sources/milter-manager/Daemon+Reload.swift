import Configuration
import Logging
import MilterRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// Loading the configuration again (SIGHUP, `milter-manager-ctl reload`) and putting it in
/// force; starting the launcher.
extension Daemon {
    /// The most configuration errors quoted in a reload's reason.
    static let quotedErrors = 10

    /// Loads the configuration again; a failure (after logging why) keeps the running one.
    static func reload(options: ManagerOptions, logger: Logger) -> Result<ReloadedConfiguration, ReloadFailure> {
        let reloaded = options.loadConfiguration()
        guard reloaded.result.errors.isEmpty else {
            for error in reloaded.result.errors {
                let report = ConfigurationErrorReport.render(
                    error, program: "milter-manager", root: reloaded.loader.root)
                for line in report.split(separator: "\n") { logger.error("[manager][reload] \(line)") }
            }
            logger.error("[manager][reload] configuration has errors; keeping the running one")
            let errors = reloaded.result.errors
            var lines = errors.prefix(quotedErrors).map(\.description)
            if errors.count > quotedErrors { lines.append("(\(errors.count - quotedErrors) more errors in the log)") }
            return .failure(
                ReloadFailure(reason: (lines + ["keeping the running configuration"]).joined(separator: "\n")))
        }
        logLoad(reloaded.result, logger: logger, prefix: "[manager][reload]")
        let (next, problems) = RuntimeConfiguration.make(from: reloaded.configuration, root: options.root)
        for problem in problems { logger.warning("[manager][reload] \(problem.message)") }
        let errors = problems.filter(\.isError)
        guard errors.isEmpty else {
            logger.error("[manager][reload] configuration has errors; keeping the running one")
            let lines = errors.prefix(quotedErrors).map(\.message) + ["keeping the running configuration"]
            return .failure(ReloadFailure(reason: lines.joined(separator: "\n")))
        }
        return .success(ReloadedConfiguration(runtime: next, files: reloaded.result.loadedFiles))
    }

    /// Puts a reloaded configuration in force: new sessions use it, the children's health
    /// follows it, the launcher reads it too. Returns what did not follow (nil: everything).
    static func apply(
        _ next: ReloadedConfiguration, server: ManagerServer, launcher: LauncherConnection?,
        controller: ListenSettings?, logger: Logger
    ) -> String? {
        server.reload(next.runtime)
        let health = server.registry.health
        health.configure(next.runtime.catalog)
        var notes: [String] = []
        if next.runtime.controller != controller {
            let note =
                "controller.* changed; the control socket stays \(controller.map { "\($0.spec)" } ?? "off") until "
                + "milter-manager is restarted"
            logger.warning("[manager][reload] \(note)")
            notes.append(note)
        }
        if let launcher, let problem = launcher.reload(timeout: 30), next.runtime.privilegeMode {
            notes.append("the launcher starts no child: \(problem)")
        }
        health.setStarting(startAvailability(privilegeMode: next.runtime.privilegeMode, launcher: launcher))
        if next.runtime.privilegeMode && launcher == nil {
            let note =
                "security.privilege_mode is on, but it was off when milter-manager started: restart it to have "
                + "children started"
            logger.warning("[manager][reload] \(note)")
            notes.append(note)
        }
        return notes.isEmpty ? nil : notes.joined(separator: "; ")
    }

    /// Whether children can be started with `privilegeMode` and `launcher`.
    static func startAvailability(privilegeMode: Bool, launcher: LauncherConnection?)
        -> ChildHealthRegistry.StartAvailability
    {
        guard privilegeMode else { return .unavailable("security.privilege_mode is off") }
        guard let launcher else {
            return .unavailable("security.privilege_mode was off when milter-manager started; restart it")
        }
        let status = launcher.status
        if let problem = status.problem { return .unavailable(problem) }
        return status.running ? .available : .unavailable("the launcher exited")
    }

    /// Starts the launcher (privilege mode); nil, after logging why, when it cannot be.
    static func startLauncher(logger: Logger) -> LauncherConnection? {
        switch LauncherConnection.spawn(arguments: Array(CommandLine.arguments.dropFirst()), logger: logger) {
        case .failure(let failure):
            logger.error("[launcher][error] cannot start the launcher: \(failure.reason); children will not be started")
            return nil
        case .success(let launcher):
            let user = geteuid() == 0 ? "root" : "uid \(geteuid()) (not root: it starts commands as that user only)"
            logger.info("[launcher][start] launcher pid \(launcher.pid) runs as \(user)")
            return launcher
        }
    }

    /// What a (re)load says beyond errors: the built-in default in use, and everything of the
    /// original that is accepted but not honoured (as `--check-config` lists it).
    static func logLoad(_ result: ConfigurationLoadResult, logger: Logger, prefix: String) {
        if result.usedBuiltInDefault {
            let local = ConfigurationLoader.localFileName
            logger.notice(
                "\(prefix) no milter-manager.conf; using the built-in configuration (load_default, then load_if_exist \"\(local)\")"
            )
        }
        for finding in result.findings { logger.warning("\(prefix) \(finding)") }
    }
}
