import MilterSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Starting this program again as a helper process (the configuration rehearsal of a reload,
/// the root launcher), through `ProcessSpawn`: every signal at its default action and none
/// blocked (the daemon ignores or blocks the signals it traps), the descriptors given dup2'd
/// into place and every other descriptor left to close-on-exec.
enum SelfProcess {
    /// Spawns `executable` as `milter-manager ARGUMENTS` with `environment`; `descriptors`
    /// are dup2'd (source to target) in the child. The pid, or the errno text of what failed.
    static func spawn(
        executable: String, arguments: [String], descriptors: [(source: Int32, target: Int32)],
        environment: [String]
    ) -> Result<pid_t, ConfigurationRehearsal.NotStarted> {
        ProcessSpawn.spawn(
            executable: executable, argv: ["milter-manager"] + arguments, environment: environment,
            descriptors: descriptors
        ).mapError { ConfigurationRehearsal.NotStarted(reason: $0.description) }
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
