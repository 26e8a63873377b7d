import ArgumentParser
import Configuration
import MilterSupport

/// `milter-manager`: the daemon. For now it loads and checks the configuration and
/// implements `--show-config`; the proxy runtime is started from here once it exists.
struct MilterManagerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "milter-manager",
        abstract: "A milter that drives child milters and merges their answers.",
        discussion: """
            FILES (every path is taken under --root, default /)
              /etc/milter-manager/milter-manager.conf
                  the configuration (--config-dir DIR: DIR/milter-manager.conf)
              /etc/milter-manager/milter-manager.local.conf
                  local settings, loaded by the stock and generated files
              /etc/os-release, /etc/redhat-release, /etc/debian_version
                  the platform, when --platform is not given
              init scripts, units, /etc/default, /etc/sysconfig, rc.conf and
              the milters' own files (greylist.conf, clamav-milter.conf, ...)
                  read by load_default to detect the installed milters
              /run/milter-manager/milter-manager.pid
                  the PID file (manager.pid_file, --pid-file)

            ENVIRONMENT
              MILTER_MANAGER_CONFIG_DIR
                  searched for milter-manager.conf after --config-dir
              MILTER_MANAGER_DATA_DIR
                  where templates/ is (default: share/milter-manager
                  beside the executable's directory)

            SIGNALS
              HUP reloads (a broken configuration keeps the running one); TERM and
              INT stop gracefully (a second one stops at once); USR1 reopens the log.

            EXIT STATUS
              0 success, 1 runtime failure, 64 bad usage, 78 configuration error.
            """,
        version: "milter-manager \(ProductVersion.number)")

    @OptionGroup var options: ManagerOptions

    func run() throws {
        if options.launcher { throw ExitCode(Launcher(options: options).run()) }
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
