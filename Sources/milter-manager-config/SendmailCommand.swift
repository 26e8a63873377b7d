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
            \(HelpSections.socketFiles)
              templates/sendmail.mc.mustache (in the data directory, not
              under --root)
                  the line printed

            \(HelpSections.socketEnvironmentAndExitStatus)
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
