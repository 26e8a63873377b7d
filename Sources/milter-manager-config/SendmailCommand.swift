import ArgumentParser
import ConfigGen
import Configuration

/// `milter-manager-config sendmail`: the sendmail.mc line that makes Sendmail use milter manager.
struct SendmailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sendmail",
        abstract: "Print the sendmail.mc INPUT_MAIL_FILTER line for milter manager's socket.",
        discussion: "Add the line to sendmail.mc, rebuild sendmail.cf and restart Sendmail.")

    @Option(help: "The file-system root holding etc/milter-manager.")
    var root = "/"

    @Option(help: "The directory (inside the root) searched first for milter-manager.conf.")
    var configDir: String?

    func run() throws {
        let templates = try ConfigToolOutput.templates()
        do {
            let socket = try ManagerSocket(
                root: root, configDirectory: configDir,
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
