import ArgumentParser
import ConfigGen
import Configuration
import MilterCommandLine

/// `milter-manager-config sendmail`: the sendmail.mc line that makes Sendmail use milter manager.
struct SendmailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sendmail",
        abstract: "Print the sendmail.mc INPUT_MAIL_FILTER line for milter manager's socket.",
        discussion: """
            Add the line to sendmail.mc, rebuild sendmail.cf and restart Sendmail.

            FILES (every path is taken under --root, default /)
              /etc/milter-manager/milter-manager.conf (and what it loads)
                  manager.connection_spec; searched in --config-dir, then
                  $MILTER_MANAGER_CONFIG_DIR, then /etc/milter-manager
              /etc/os-release, /etc/redhat-release, /etc/debian_version
                  the platform, for its default socket
              templates/sendmail.mc.mustache (in the data directory, not
              under --root)
                  the line printed

            ENVIRONMENT
              MILTER_MANAGER_CONFIG_DIR
                  searched for milter-manager.conf after --config-dir
              MILTER_MANAGER_DATA_DIR
                  where templates/ is (default: share/milter-manager beside
                  the executable's directory)

            EXIT STATUS
              0 success, 1 runtime failure, 64 bad usage, 66 a missing
              --config-dir or an unreadable milter-manager.conf, 78 a
              configuration that does not load.
            """)

    @OptionGroup var rootOption: RootOption
    @OptionGroup var configDirectoryOption: ConfigDirectoryOption

    func run() throws {
        let templates = try ConfigToolOutput.templates()
        do {
            let socket = try ManagerSocket(
                root: rootOption.root, configDirectory: configDirectoryOption.configDir,
                extraDirectories: ConfigurationLoader.environmentConfigDirectories()
            ).resolveSetting()
            print(
                try SendmailSnippet.render(
                    connectionSpec: socket.value.spec, setAt: socket.provenance, templates: templates),
                terminator: "")
        } catch {
            throw ConfigToolOutput.fail(error)
        }
    }
}
