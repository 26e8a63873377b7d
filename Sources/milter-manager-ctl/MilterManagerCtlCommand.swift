import ArgumentParser
import Configuration
import MilterControl
import MilterProtocol
import MilterSupport

extension ControlCommand: ExpressibleByArgument {}

/// `milter-manager-ctl [--connection-spec SPEC | --config-dir DIR] COMMAND [--json]`: talks
/// to a running milter-manager over its control socket (interfaces.md "Metrics and control").
struct MilterManagerCtlCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "milter-manager-ctl",
        abstract: "Ask a running milter-manager for its status, or to reload or reopen its log.",
        discussion: """
            COMMANDS
              status [--json]   version, uptime, configuration, sessions, every child
              children [--json] every child: reachable, last error and success, starts
              reload            load the configuration again (as SIGHUP); exit 0 when
                                it is in force, 1 with the reason when it is not
              reopen-logs       reopen the log file (as SIGUSR1)

            FILES
              /etc/milter-manager/milter-manager.conf (and what it loads)
                  controller.connection_spec: the daemon's control socket
                  (unix:PATH or inet:PORT@[127.0.0.1]), read when
                  --connection-spec is not given; searched in --config-dir,
                  then $MILTER_MANAGER_CONFIG_DIR, then /etc/milter-manager

            ENVIRONMENT
              MILTER_MANAGER_CONFIG_DIR
                  searched for milter-manager.conf after --config-dir

            EXIT STATUS
              0 success, 1 the daemon cannot be reached or refused (reload: the new
              configuration is not in force), 64 bad usage, 78 configuration error.
            """,
        version: "milter-manager-ctl \(ProductVersion.number)")

    @Option(help: ArgumentHelp("The daemon's control socket (unix:PATH, inet:PORT@[127.0.0.1]).", valueName: "spec"))
    var connectionSpec: String?

    @Option(
        name: [.customShort("c"), .long],
        help: ArgumentHelp("Read controller.connection_spec from DIR/milter-manager.conf.", valueName: "dir"))
    var configDir: String?

    @Argument(help: ArgumentHelp("status, children, reload or reopen-logs.", valueName: "command"))
    var command: ControlCommand

    @Flag(help: "status and children: print one JSON object instead of text.")
    var json = false

    func validate() throws {
        if connectionSpec != nil && configDir != nil {
            throw ValidationError("--connection-spec and --config-dir exclude each other")
        }
        if json && command != .status && command != .children {
            throw ValidationError("--json goes with status and children only")
        }
    }

    func run() throws {
        switch command {
        case .status:
            let result = try result(timeout: 30)
            if json { return StandardStream.output.writeLine(result.text) }
            guard let status = ManagerStatus(json: result) else {
                StandardStream.error.writeLine(
                    "milter-manager-ctl: the daemon's status is not in the expected form; use --json")
                throw ExitCode(1)
            }
            StandardStream.output.write(StatusText.render(status))
        case .children:
            let result = try result(timeout: 30)
            if json { return StandardStream.output.writeLine(result.text) }
            let children = (result["children"]?.arrayValue ?? []).compactMap(ChildStatus.init(json:))
            let lines = StatusText.children(children, at: UTCTime.now())
            StandardStream.output.write(lines.isEmpty ? "no milter is defined\n" : lines.joined(separator: "\n") + "\n")
        case .reload:
            // The daemon first loads it in a separate check (up to 60 s), then the launcher (30 s).
            let result = try result(timeout: 150)
            let files = (result["files"]?.arrayValue ?? []).compactMap(\.stringValue)
            let read = files.isEmpty ? "the built-in default" : files.joined(separator: ", ")
            StandardStream.output.writeLine(
                "reloaded: the new configuration is in force (\(ControlCharacters.escaped(read)))")
            if let note = result["note"]?.stringValue {
                StandardStream.error.writeLine("milter-manager-ctl: warning: \(ControlCharacters.escaped(note))")
            }
        case .reopenLogs:
            _ = try result(timeout: 30)
            StandardStream.output.writeLine("the log file was reopened")
        }
    }

    /// The result of a successful reply; prints why not and throws the exit status otherwise.
    private func result(timeout: Double) throws -> JSONValue {
        let spec: ConnectionSpec
        do {
            spec = try ControlTarget.resolve(connectionSpec: connectionSpec, configDirectory: configDir)
        } catch {
            for line in error.lines { StandardStream.error.writeLine(line) }
            throw ExitCode(error.status)
        }
        let reply: ControlReply
        do {
            reply = try ControlConnection(spec: spec, timeout: 10).exchange(ControlRequest(command), timeout: timeout)
        } catch {
            StandardStream.error.writeLine("milter-manager-ctl: \(ControlCharacters.escaped(error.description))")
            throw ExitCode(1)
        }
        switch reply {
        case .success(let result):
            return result
        case .failure(let reason):
            for line in reason.split(separator: "\n") {
                StandardStream.error.writeLine("milter-manager-ctl: \(ControlCharacters.escaped(String(line)))")
            }
            throw ExitCode(1)
        }
    }
}
