import MilterRuntime

/// A configuration loaded by a reload, before it is put in force.
struct ReloadedConfiguration: Sendable {
    /// What the runtime runs.
    var runtime: RuntimeConfiguration
    /// The files read, in order (empty: the built-in default).
    var files: [String]
}

/// Why a reload did not load (its errors, already logged).
struct ReloadFailure: Error, Sendable {
    /// What was wrong, for `milter-manager-ctl reload` (one line per problem).
    var reason: String
}

/// How a reload ended, for whoever asked (`milter-manager-ctl reload`).
enum ReloadOutcome: Hashable, Sendable {
    /// The new configuration is in force; `note` says what did not follow it (the launcher).
    case inForce(files: [String], note: String?)
    /// The running configuration stays, for this reason.
    case notLoaded(reason: String)
    /// The daemon is stopping: nothing was loaded.
    case stopping
}
