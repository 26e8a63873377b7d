#if canImport(Glibc)
    import Glibc
#endif

/// Starting this program again as a helper process (the configuration rehearsal of a reload,
/// the root launcher): one posix_spawn with every signal at its default action and none blocked
/// (the daemon ignores or blocks the signals it traps), the descriptors given dup2'd into place
/// and every other descriptor left to close-on-exec.
enum SelfProcess {
    /// Spawns `executable` as `milter-manager ARGUMENTS` with `environment`; `descriptors`
    /// are dup2'd (source to target) in the child. The pid, or the errno text of what failed.
    static func spawn(
        executable: String, arguments: [String], descriptors: [(source: Int32, target: Int32)],
        environment: [String]
    ) -> Result<pid_t, ConfigurationRehearsal.NotStarted> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for pair in descriptors { posix_spawn_file_actions_adddup2(&actions, pair.source, pair.target) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var signals = sigset_t()
        sigfillset(&signals)
        posix_spawnattr_setsigdefault(&attributes, &signals)
        sigemptyset(&signals)
        posix_spawnattr_setsigmask(&attributes, &signals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let argv = (["milter-manager"] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            return .failure(ConfigurationRehearsal.NotStarted(reason: String(cString: strerror(result))))
        }
        return .success(pid)
    }

    /// This process's environment, `NAME=value` each.
    static func currentEnvironment() -> [String] {
        var environment: [String] = []
        var entry = environ
        while let pointer = entry.pointee {
            environment.append(String(cString: pointer))
            entry += 1
        }
        return environment
    }
}
