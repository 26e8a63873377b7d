import Configuration

#if canImport(Glibc)
    import Glibc
#endif

/// The launcher's own reading of the configuration: for each milter, the command it may run.
/// Loaded by the launcher itself (as root) with the daemon's options, at start and on every
/// reload; the daemon never sends a command line.
struct LauncherCatalog {
    /// One milter the launcher may start.
    struct Entry {
        var command: String
        var options: String?
        var userName: String?
    }

    /// Startable milters by name (enabled, with a command).
    var entries: [String: Entry] = [:]
    /// Why the launcher starts nothing with this configuration (privilege mode off, a file
    /// others may write, errors), nil when it starts what it is asked to.
    var problem: String?

    /// Loads the configuration as `options` say; files that someone other than root (or this
    /// process's user) may change make `problem` say so.
    static func load(_ options: ManagerOptions) -> LauncherCatalog {
        let loaded = options.loadConfiguration()
        var catalog = LauncherCatalog()
        guard loaded.result.errors.isEmpty else {
            let first = loaded.result.errors.first.map { "\($0)" } ?? ""
            catalog.problem = "the configuration has errors (\(first)); nothing is started"
            return catalog
        }
        let configuration = loaded.configuration
        guard configuration.security.privilegeMode.value else {
            catalog.problem = "security.privilege_mode is off"
            return catalog
        }
        for file in loaded.result.loadedFiles {
            if let problem = RootOnlyPath.problem(RootedPath.resolve(file, root: options.root)) {
                catalog.problem =
                    "\(problem): the launcher runs commands only from configuration files that nobody but root can "
                    + "change (chown root and chmod go-w them, and the directories above them)"
                return catalog
            }
        }
        for milter in configuration.milters where milter.enabled.value {
            guard let command = milter.command.value else { continue }
            catalog.entries[milter.name] = Entry(
                command: command, options: milter.commandOptions.value, userName: milter.userName.value)
        }
        return catalog
    }
}
