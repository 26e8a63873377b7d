import Configuration
import Detect
import MilterSupport

/// What the launcher runs for one milter: the words of `milter.command` and
/// `milter.command_options` (split as a shell would, run without one), the executable found,
/// and who runs it. A service manager's command (`systemctl start`, `service`, an init or rc.d
/// script, upstart's `start`) runs as root whatever `milter.user_name` says: it starts the
/// milter as the service defines, with its own user. Any other program runs as
/// `milter.user_name`, or as root when none is given (as the original does). On a host booted
/// with systemd an init script's `start` (or `service NAME start`, upstart's `start NAME`)
/// becomes `systemctl start NAME`, so that the milter runs under its own unit and not inside
/// milter-manager's service.
struct LaunchPlan: Hashable, Sendable {
    /// The directories a bare command name is looked up in (and the commands' `PATH`).
    static let searchPath = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]

    /// Why a command cannot be run.
    enum Problem: Error, Hashable, CustomStringConvertible {
        /// It has no words.
        case empty
        /// A quote is not closed.
        case unbalancedQuote
        /// A relative path (`./start`, `bin/start`).
        case relativePath(String)
        /// A bare name not found in `searchPath`.
        case notFound(String)

        var description: String {
            switch self {
            case .empty: return "the command is empty"
            case .unbalancedQuote: return "the command line has a quote that is not closed"
            case .relativePath(let path):
                return "the command \(path) is a relative path; write it from / (the launcher runs in /)"
            case .notFound(let name):
                return "the command \(name) is not in \(LaunchPlan.searchPath.joined(separator: ":"))"
            }
        }
    }

    /// The program and its arguments (`arguments[0]` is the program as found).
    var arguments: [String]
    /// The user it runs as; nil: root (the launcher's own user).
    var user: String?
    /// Why `milter.user_name` was not used, if it was set and not used.
    var note: String?

    /// The command line for the log: words joined with spaces, each quoted when needed.
    var commandLine: String { arguments.map(ShellQuoting.escape).joined(separator: " ") }

    /// The plan for `command` + `options` as `userName`; `isSystemdHost` and `isExecutable`
    /// are the host's (injected, for tests).
    static func make(
        command: String, options: String?, userName: String?, isSystemdHost: Bool,
        isExecutable: (String) -> Bool
    ) -> Result<LaunchPlan, Problem> {
        var words: [String]
        do {
            words = try ShellWords.split([command, options].compactMap { $0 }.joined(separator: " "))
        } catch {
            return .failure(.unbalancedQuote)
        }
        guard let first = words.first, !first.isEmpty else { return .failure(.empty) }
        if !first.hasPrefix("/") {
            guard !first.contains("/") else { return .failure(.relativePath(first)) }
            guard let found = searchPath.map({ $0 + "/" + first }).first(where: isExecutable) else {
                return .failure(.notFound(first))
            }
            words[0] = found
        }
        if isSystemdHost, let unit = serviceName(words), let systemctl = systemctl(isExecutable) {
            words = [systemctl, "start", unit]
        }
        guard isServiceCommand(words) else { return .success(LaunchPlan(arguments: words, user: userName, note: nil)) }
        let note = userName.map { "milter.user_name (\($0)) is not used: a service command runs as root" }
        return .success(LaunchPlan(arguments: words, user: nil, note: note))
    }

    /// The directories of init and rc.d scripts.
    static let scriptDirectories = [
        "/etc/init.d/", "/etc/rc.d/init.d/", "/etc/rc.d/", "/usr/local/etc/rc.d/", "/usr/pkg/etc/rc.d/",
    ]

    /// The service managers' commands, by file name, when they live in a system directory.
    static let serviceTools: Set<String> = ["systemctl", "service", "start", "initctl"]

    static func isServiceCommand(_ words: [String]) -> Bool {
        let program = words[0]
        if scriptDirectories.contains(where: { program.hasPrefix($0) }) { return true }
        let slash = program.lastIndex(of: "/")!
        let directory = String(program[..<slash])
        let name = String(program[program.index(after: slash)...])
        return serviceTools.contains(name) && searchPath.contains(directory)
    }

    /// The service an init script, `service NAME start` or upstart's `start NAME` starts.
    static func serviceName(_ words: [String]) -> String? {
        let program = words[0]
        let name = program[program.index(after: program.lastIndex(of: "/")!)...]
        if ["/etc/init.d/", "/etc/rc.d/init.d/"].contains(where: { program.hasPrefix($0) }),
            words.dropFirst() == ["start"], !name.isEmpty
        {
            return String(name)
        }
        if name == "service", words.count == 3, words[2] == "start" { return words[1] }
        if name == "start", words.count == 2, !words[1].hasPrefix("-") { return words[1] }
        return nil
    }

    private static func systemctl(_ isExecutable: (String) -> Bool) -> String? {
        ["/usr/bin/systemctl", "/bin/systemctl"].first(where: isExecutable)
    }
}
