/// The control socket's protocol (`controller.connection_spec`, `milter-manager-ctl`): one
/// request per line, one reply per line, both a JSON object in UTF-8 ending in `\n`.
///
/// ```
/// → {"command":"status"}
/// ← {"ok":true,"result":{"version":"...","uptime_seconds":12.5,...}}
/// → {"command":"reload"}
/// ← {"ok":false,"error":"the new configuration was not loaded: ..."}
/// ```
///
/// A connection may carry several requests, answered in order. The daemon closes it after a
/// malformed line (with an error reply), after `requestTimeoutSeconds` without a complete
/// request, and when it stops.
public enum ControlProtocol {
    /// The longest request line the daemon reads (without its newline); a longer one is
    /// answered with an error and the connection closed.
    public static let maximumRequestLength = 4096
    /// The longest reply line the client reads.
    public static let maximumReplyLength = 8 << 20
    /// Seconds the daemon waits for a complete request line.
    public static let requestTimeoutSeconds = 10.0
    /// Control connections served at once; more are answered with an error and closed.
    public static let maximumConnections = 16
}

/// What the control client asks.
public enum ControlCommand: String, CaseIterable, Hashable, Sendable {
    /// The daemon's state: version, uptime, configuration, sessions, children.
    case status
    /// The children only.
    case children
    /// Load the configuration again, as SIGHUP does; the reply says whether it is in force.
    case reload
    /// Reopen the log file, as SIGUSR1 does.
    case reopenLogs = "reopen-logs"
}

/// One request line.
public struct ControlRequest: Hashable, Sendable {
    /// The command.
    public var command: ControlCommand

    /// A request.
    public init(_ command: ControlCommand) { self.command = command }

    /// The line to send (without the newline).
    public var line: String { JSONValue.object([("command", .string(command.rawValue))]).text }

    /// Reads a request line (without its newline); the error is the reply's text.
    public init(line: [UInt8]) throws(ControlRequestError) {
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            throw .malformed("the request is not a JSON object: \(error)")
        }
        guard case .object = value else { throw .malformed("the request is not a JSON object") }
        guard let name = value["command"]?.stringValue else {
            throw .malformed("the request has no \"command\" string")
        }
        guard let command = ControlCommand(rawValue: name) else {
            let known = ControlCommand.allCases.map(\.rawValue).joined(separator: ", ")
            throw .unknownCommand("unknown command \(JSONValue.string(String(name.prefix(64))).text) (known: \(known))")
        }
        self.command = command
    }
}

/// Why a request line was refused.
public enum ControlRequestError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Not a request at all: the daemon answers and closes the connection.
    case malformed(String)
    /// A well-formed request for a command that does not exist: answered, the connection stays.
    case unknownCommand(String)

    /// The reply's text.
    public var description: String {
        switch self {
        case .malformed(let text), .unknownCommand(let text): return text
        }
    }
}

/// One reply line.
public enum ControlReply: Hashable, Sendable {
    /// The command was carried out; `result` is an object.
    case success(JSONValue)
    /// It was not (or a reload did not bring the new configuration into force): why.
    case failure(String)

    /// The line to send (without the newline).
    public var line: String {
        switch self {
        case .success(let result): return JSONValue.object([("ok", .bool(true)), ("result", result)]).text
        case .failure(let message): return JSONValue.object([("ok", .bool(false)), ("error", .string(message))]).text
        }
    }

    /// Reads a reply line.
    public init(line: [UInt8]) throws(JSONParseError) {
        let value = try JSONParser.parse(line)
        switch value["ok"] {
        case .bool(true):
            self = .success(value["result"] ?? .object([]))
        case .bool(false):
            self = .failure(value["error"]?.stringValue ?? "the daemon refused the request without a reason")
        default:
            throw JSONParseError(reason: "the reply has no \"ok\" flag", offset: 0)
        }
    }
}
