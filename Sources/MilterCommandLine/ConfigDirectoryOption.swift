import ArgumentParser
import Configuration

/// `-c`, `--config-dir DIR`: the directory (inside the root) holding milter-manager.conf.
/// nil means the default, `ConfigurationLoader.defaultConfigDirectory`; the daemon and the
/// `postfix` and `sendmail` subcommands then also search `$MILTER_MANAGER_CONFIG_DIR`.
public struct ConfigDirectoryOption: ParsableArguments, Sendable {
    /// The directory given, nil when not given.
    @Option(
        name: [.customShort("c"), .long],
        help: ArgumentHelp(
            "The directory (inside the root) holding milter-manager.conf (default: "
                + ConfigurationLoader.defaultConfigDirectory + ").", valueName: "dir"))
    public var configDir: String?

    /// The directory given, or the default one.
    public var configDirOrDefault: String { configDir ?? ConfigurationLoader.defaultConfigDirectory }

    /// Parsed from the command line.
    public init() {}
}
