import ArgumentParser
import MilterSupport

/// `milter-manager-config`: one-shot detection and writing of milter manager's files.
struct MilterManagerConfig: ParsableCommand {
    /// Every subcommand, in the order `--help` lists them. Register new ones here.
    static let subcommandTypes: [any ParsableCommand.Type] = [
        DetectCommand.self, GenerateCommand.self, PostfixCommand.self, SendmailCommand.self,
    ]

    static let configuration = CommandConfiguration(
        commandName: "milter-manager-config",
        abstract: "Detect installed milters and write milter manager's configuration.",
        version: "milter-manager-config \(ProductVersion.number)",
        subcommands: subcommandTypes)
}

MilterManagerConfig.main()
