import ArgumentParser
import Configuration
import Detect
import MilterCommandLine
import MilterProtocol
import MilterScripting
import MilterSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension SyslogFacility: ExpressibleByArgument {}
extension EventLoopBackend: ExpressibleByArgument {}

/// Every option of `milter-manager` (interfaces.md, runtime.md 4.1), and loading the
/// configuration with the command-line overrides applied (detection.md 4.7).
///
/// The daemon start-up and every SIGHUP reload call `loadConfiguration()`: it loads
/// `milter-manager.conf` from the load path under `--root` and writes the command-line
/// values over it.
struct ManagerOptions: ParsableArguments {
    @OptionGroup var configDirectoryOption: ConfigDirectoryOption
    @OptionGroup var rootOption: RootOption
    @OptionGroup var platformOption: PlatformOption

    /// `--config-dir`, nil when not given.
    var configDir: String? { configDirectoryOption.configDir }
    /// `--root`.
    var root: String { rootOption.root }
    /// `--platform`, nil when not given.
    var platform: Platform? { platformOption.platform }

    @Option(
        name: [.customShort("s"), .long],
        help: ArgumentHelp(ManagerKey.connectionSpec.help, valueName: "spec"),
        transform: { text in
            do {
                return try WrittenConnectionSpec(parsing: text)
            } catch {
                throw ValidationError("invalid connection spec: \(error)")
            }
        })
    var connectionSpec: WrittenConnectionSpec?

    @Flag(inversion: .prefixedNo, help: ArgumentHelp(ManagerKey.daemon.help))
    var daemon: Bool?

    @Option(
        name: [.customShort("u"), .customLong("user-name"), .customLong("user")],
        help: ArgumentHelp(SecurityKey.effectiveUser.help, valueName: "user"))
    var userName: String?

    @Option(
        name: [.customShort("g"), .customLong("group-name"), .customLong("group")],
        help: ArgumentHelp(SecurityKey.effectiveGroup.help, valueName: "group"))
    var groupName: String?

    @Option(
        name: [.customLong("unix-socket-group"), .customLong("socket-group-name")],
        help: ArgumentHelp(ManagerKey.unixSocketGroup.help, valueName: "group"))
    var unixSocketGroup: String?

    @Option(
        help: ArgumentHelp(ManagerKey.unixSocketMode.help, valueName: "mode"),
        transform: { text in
            do {
                return try UnixSocketMode.parse(text)
            } catch {
                throw ValidationError("\(error)")
            }
        })
    var unixSocketMode: Int?

    @Option(help: ArgumentHelp(ManagerKey.pidFile.help, valueName: "file"))
    var pidFile: String?

    @Flag(name: [.customShort("v"), .long], help: "Log everything (log level all).")
    var verbose = false

    @Flag(help: "Print the effective configuration and exit.")
    var showConfig = false

    @Flag(
        help: ArgumentHelp(
            "Load the configuration as the daemon would and list, as FILE:LINE: MESSAGE, everything of the "
                + "original milter manager it accepts but does not honour, with what to use instead. "
                + "Exit 0: nothing changes behaviour; 1: something does; 78: it does not load."))
    var checkConfig = false

    @Option(help: ArgumentHelp(LogKey.level.help, valueName: "level"))
    var logLevel: String?

    @Option(help: ArgumentHelp(LogKey.path.help, valueName: "path"))
    var logPath: String?

    @Flag(name: [.customShort("q"), .long], help: "Log nothing (log level none).")
    var quiet = false

    @Flag(help: ArgumentHelp(LogKey.useSyslog.help))
    var syslog = false

    @Option(help: ArgumentHelp(LogKey.syslogFacility.help))
    var syslogFacility: SyslogFacility?

    @Option(help: ArgumentHelp(ManagerKey.nWorkers.help))
    var nWorkers: Int?

    @Option(help: ArgumentHelp(ManagerKey.eventLoopBackend.help))
    var eventLoopBackend: EventLoopBackend?

    @Option(help: ArgumentHelp(ManagerKey.packetBufferSize.help))
    var packetBufferSize: Int?

    @Option(help: ArgumentHelp(ManagerKey.maxPendingFinishedSessions.help))
    var maxPendingFinishedSessions: Int?

    /// The launcher process the daemon starts for itself (privilege mode); never by hand.
    @Flag(help: .private)
    var launcher = false

    func validate() throws {
        if verbose && quiet { throw ValidationError("--verbose and --quiet exclude each other") }
        if let problem = overrides.problems().first { throw ValidationError(problem.message) }
    }

    /// The command-line values that win over the configuration files, each set on its key.
    var overrides: CommandLineOverrides {
        var overrides = CommandLineOverrides()
        overrides.set(ManagerKey.connectionSpec, to: connectionSpec)
        overrides.set(ManagerKey.daemon, to: daemon)
        overrides.set(SecurityKey.effectiveUser, to: userName)
        overrides.set(SecurityKey.effectiveGroup, to: groupName)
        overrides.set(ManagerKey.unixSocketGroup, to: unixSocketGroup)
        overrides.set(ManagerKey.unixSocketMode, to: unixSocketMode)
        overrides.set(ManagerKey.pidFile, to: pidFile)
        overrides.logLevel = verbose ? "all" : quiet ? "none" : logLevel
        // `--log-path -`: standard output, which the key writes as nil.
        if logPath == "-" { overrides.setNil(LogKey.path) } else { overrides.set(LogKey.path, to: logPath) }
        overrides.set(LogKey.useSyslog, to: syslog ? true : nil)
        overrides.set(LogKey.syslogFacility, to: syslogFacility)
        overrides.set(ManagerKey.nWorkers, to: nWorkers)
        overrides.set(ManagerKey.eventLoopBackend, to: eventLoopBackend)
        overrides.set(ManagerKey.packetBufferSize, to: packetBufferSize)
        overrides.set(ManagerKey.maxPendingFinishedSessions, to: maxPendingFinishedSessions)
        return overrides
    }

    /// The platform: `--platform`, else what the root's files say.
    func resolvedPlatform() -> Platform {
        platform ?? MilterDetector(root: root, dataDirectory: nil).identifyPlatform()
    }

    /// The loader for these options: `--config-dir`, then `$MILTER_MANAGER_CONFIG_DIR`, then
    /// `/etc/milter-manager`, all under `--root`; `load_default` detects with Detect's detector.
    func makeLoader() -> ConfigurationLoader {
        var loader = ConfigurationLoader(
            root: root, configDirectory: configDir,
            extraDirectories: ConfigurationLoader.environmentConfigDirectories(), platform: resolvedPlatform(),
            detector: MilterDetector(root: root, dataDirectory: DataDirectory.locate()))
        // Condition scripts are compiled (and their top level run) when the configuration
        // loads, so that a syntax error is reported at its file and line (exit status 78).
        loader.scriptChecker = LuaScriptChecker()
        return loader
    }

    /// Loads the configuration and applies the command-line overrides. The configuration
    /// must not be used when `result.errors` is not empty (exit status 78).
    func loadConfiguration() -> LoadedConfiguration {
        let loader = makeLoader()
        var result = loader.load()
        let configuration = result.configuration.applying(overrides)
        // `-s` may move the manager onto a child's socket: checked again with it applied.
        if overrides.sets(ManagerKey.connectionSpec) && result.errors.isEmpty {
            result.errors += configuration.selfConnectionErrors()
        }
        result.findings += configuration.unhonouredSettings()
        return LoadedConfiguration(loader: loader, result: result, configuration: configuration)
    }
}

/// A configuration as the daemon uses it.
struct LoadedConfiguration {
    /// The loader, kept for reloads (SIGHUP): `loader.load()` then `applying(options.overrides)`.
    var loader: ConfigurationLoader
    /// What loading the files produced (errors and warnings included).
    var result: ConfigurationLoadResult
    /// The configuration with the command-line overrides applied.
    var configuration: ManagerConfiguration

    /// `--check-config`: every error, then every finding, one per line on standard output
    /// (`FILE:LINE: MESSAGE`); warnings (detection diagnostics) on standard error. Returns the
    /// exit status: 78 when the configuration does not load, 1 when a finding changes
    /// behaviour, else 0.
    func checkReport(program: String = "milter-manager") -> Int32 {
        for warning in result.warnings {
            StandardStream.error.writeLine(ConfigurationErrorReport.render(warning: warning, program: program))
        }
        // In the order the files were read, then by line.
        var entries: [(location: SourceLocation, text: String)] = []
        for error in result.errors {
            entries.append((error.location, error.description + (error.hint.map { "; instead: " + $0 } ?? "")))
        }
        for finding in result.findings { entries.append((finding.location, finding.description)) }
        let order = Dictionary(
            result.loadedFiles.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let sorted = entries.enumerated().sorted { a, b in
            let left = (order[a.element.location.file] ?? Int.max, a.element.location.line, a.offset)
            let right = (order[b.element.location.file] ?? Int.max, b.element.location.line, b.offset)
            return left < right
        }
        for entry in sorted { print(ControlCharacters.escaped(entry.element.text)) }
        let changing = result.findings.filter(\.changesBehaviour).count
        let files = result.loadedFiles.isEmpty ? "the built-in default" : result.loadedFiles.joined(separator: ", ")
        print(
            "\(result.errors.count) errors, \(result.findings.count) findings, \(changing) changing behaviour "
                + "(read: \(ControlCharacters.escaped(files)))")
        if !result.errors.isEmpty { return 78 }
        return changing > 0 ? 1 : 0
    }

    /// Writes every error (and warning) to standard error; true when there was no error.
    func reportProblems(program: String = "milter-manager") -> Bool {
        if result.usedBuiltInDefault {
            let searched = loader.loadPaths.map { $0 + "/" + ConfigurationLoader.fileName }.joined(separator: ", ")
            StandardStream.error.writeLine(
                "\(program): notice: no \(searched); using the built-in configuration "
                    + "(load_default, then load_if_exist \"\(ConfigurationLoader.localFileName)\")")
        }
        for warning in result.warnings {
            StandardStream.error.writeLine(ConfigurationErrorReport.render(warning: warning, program: program))
        }
        for error in result.errors {
            StandardStream.error.writeLine(ConfigurationErrorReport.render(error, program: program, root: loader.root))
        }
        return result.errors.isEmpty
    }
}
