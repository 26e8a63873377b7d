import MilterControl

/// The launcher's protocol over the socket pair the daemon created before it dropped its
/// privileges: JSON lines, each one object. The daemon can only name a milter to start and ask
/// for the configuration to be read again; the launcher reads the configuration itself (as
/// root) and runs only the command that configuration gives the named milter.
///
/// ```
/// daemon → launcher   {"op":"start","id":7,"milter":"clamav-milter"}
///                     {"op":"reload","id":8}
/// launcher → daemon   {"event":"ready","pid":4243,"problem":null}
///                     {"event":"running","id":7,"milter":"clamav-milter","pid":4250,"command":"...","user":"root"}
///                     {"event":"ended","id":7,"milter":"clamav-milter","result":"exited with status 0","succeeded":true,"output":""}
///                     {"event":"refused","id":7,"milter":"clamav-milter","reason":"..."}
///                     {"event":"reloaded","id":8,"problem":null}
/// ```
enum LauncherProtocol {
    /// The longest request line the launcher reads.
    static let maximumRequestLength = 4096
    /// The longest event line the daemon reads.
    static let maximumEventLength = 64 << 10
    /// The descriptor the launcher finds its end of the socket pair on.
    static let descriptor: Int32 = 3
}

/// What the daemon asks the launcher.
enum LauncherRequest: Hashable, Sendable {
    /// Start the milter of this name with its configured command.
    case start(id: Int, milter: String)
    /// Read the configuration again.
    case reload(id: Int)

    /// The line (without the newline).
    var line: String {
        switch self {
        case .start(let id, let milter):
            return JSONValue.object([("op", .string("start")), ("id", .integer(id)), ("milter", .string(milter))]).text
        case .reload(let id):
            return JSONValue.object([("op", .string("reload")), ("id", .integer(id))]).text
        }
    }

    /// Reads a request line; nil for anything else.
    init?(line: [UInt8]) {
        guard line.count <= LauncherProtocol.maximumRequestLength, let value = try? JSONParser.parse(line),
            let id = value["id"]?.intValue
        else { return nil }
        switch value["op"]?.stringValue {
        case "start":
            guard let milter = value["milter"]?.stringValue, !milter.isEmpty, milter.utf8.count <= 1024 else {
                return nil
            }
            self = .start(id: id, milter: milter)
        case "reload":
            self = .reload(id: id)
        default:
            return nil
        }
    }
}

/// What the launcher tells the daemon.
enum LauncherEvent: Hashable, Sendable {
    /// The launcher read the configuration; `problem` says why it will start nothing.
    case ready(pid: Int, problem: String?)
    /// The start of `milter` was refused.
    case refused(id: Int, milter: String, reason: String)
    /// The command of `milter` runs as `pid`.
    case running(id: Int, milter: String, pid: Int, command: String, user: String)
    /// The command of `milter` ended (`succeeded`: exit status 0); `output` is the end of what
    /// it wrote.
    case ended(id: Int, milter: String, result: String, succeeded: Bool, output: String)
    /// The configuration was read again; `problem` says why the launcher starts nothing now.
    case reloaded(id: Int, problem: String?)

    /// The line (without the newline).
    var line: String {
        let members: [(key: String, value: JSONValue)]
        switch self {
        case .ready(let pid, let problem):
            members = [("event", .string("ready")), ("pid", .integer(pid)), ("problem", .optional(problem))]
        case .refused(let id, let milter, let reason):
            members = [
                ("event", .string("refused")), ("id", .integer(id)), ("milter", .string(milter)),
                ("reason", .string(reason)),
            ]
        case .running(let id, let milter, let pid, let command, let user):
            members = [
                ("event", .string("running")), ("id", .integer(id)), ("milter", .string(milter)),
                ("pid", .integer(pid)), ("command", .string(command)), ("user", .string(user)),
            ]
        case .ended(let id, let milter, let result, let succeeded, let output):
            members = [
                ("event", .string("ended")), ("id", .integer(id)), ("milter", .string(milter)),
                ("result", .string(result)), ("succeeded", .bool(succeeded)), ("output", .string(output)),
            ]
        case .reloaded(let id, let problem):
            members = [("event", .string("reloaded")), ("id", .integer(id)), ("problem", .optional(problem))]
        }
        return JSONValue.object(members).text
    }

    /// Reads an event line; nil for anything else.
    init?(line: [UInt8]) {
        guard line.count <= LauncherProtocol.maximumEventLength, let value = try? JSONParser.parse(line) else {
            return nil
        }
        let id = value["id"]?.intValue
        let milter = value["milter"]?.stringValue
        switch value["event"]?.stringValue {
        case "ready":
            guard let pid = value["pid"]?.intValue else { return nil }
            self = .ready(pid: pid, problem: value["problem"]?.stringValue)
        case "refused":
            guard let id, let milter, let reason = value["reason"]?.stringValue else { return nil }
            self = .refused(id: id, milter: milter, reason: reason)
        case "running":
            guard let id, let milter, let pid = value["pid"]?.intValue, let command = value["command"]?.stringValue,
                let user = value["user"]?.stringValue
            else { return nil }
            self = .running(id: id, milter: milter, pid: pid, command: command, user: user)
        case "ended":
            guard let id, let milter, let result = value["result"]?.stringValue,
                let succeeded = value["succeeded"]?.boolValue
            else { return nil }
            self = .ended(
                id: id, milter: milter, result: result, succeeded: succeeded,
                output: value["output"]?.stringValue ?? "")
        case "reloaded":
            guard let id else { return nil }
            self = .reloaded(id: id, problem: value["problem"]?.stringValue)
        default:
            return nil
        }
    }
}
