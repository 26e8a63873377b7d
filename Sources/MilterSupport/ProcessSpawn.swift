#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Starting a process with `posix_spawn`: every signal with its default action and none
/// blocked in the child (whatever this process blocks or ignores), the given descriptors
/// dup2'd into place. The one spawn of the daemon (its rehearsal and launcher processes) and
/// of the tests' subprocesses.
public enum ProcessSpawn {
    /// A failed `posix_spawn`.
    public struct Failure: Error, Hashable, Sendable, CustomStringConvertible {
        /// The error number it returned.
        public var code: Int32
        /// `strerror` of the code.
        public var description: String { String(cString: strerror(code)) }
    }

    /// Spawns `executable` with `argv` (`argv[0]` first), `environment` (`NAME=value` each) and
    /// each `(source, target)` of `descriptors` dup2'd; the pid, or the `errno` of the failure.
    public static func spawn(
        executable: String, argv: [String], environment: [String], descriptors: [(source: Int32, target: Int32)]
    ) -> Result<pid_t, Failure> {
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
        let argv = argv.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        return result == 0 ? .success(pid) : .failure(Failure(code: result))
    }
}
