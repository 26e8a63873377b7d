import ArgumentParser
import Configuration

/// `milter-manager`: the daemon. For now it loads and checks the configuration and
/// implements `--show-config`; the proxy runtime is started from here once it exists.
struct MilterManagerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "milter-manager",
        abstract: "A milter that drives child milters and merges their answers.",
        version: "milter-manager \(ProductVersion.number)")

    @OptionGroup var options: ManagerOptions

    func run() throws {
        let loaded = options.loadConfiguration()
        if options.checkConfig { throw ExitCode(loaded.checkReport()) }
        guard loaded.reportProblems() else { throw ExitCode(78) }
        if options.showConfig {
            print(ConfigurationPrinter.render(loaded.configuration), terminator: "")
            return
        }
        let status = Daemon(options: options, loaded: loaded).run()
        if status != 0 { throw ExitCode(status) }
    }
}
