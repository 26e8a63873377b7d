import Configuration
import Detect

/// The socket the manager listens on, as the MTA must be told: `manager.connection_spec` of
/// the effective configuration (milter-manager.conf under the root, as the daemon loads it,
/// or the platform's default only when the load path holds no milter-manager.conf at all).
///
/// A configuration named that cannot be read is an error, never the default socket: a
/// `--config-dir` that does not exist (`configDirectoryMissing`, exit 66), a milter-manager.conf
/// or a configuration directory that exists but cannot be read (`configurationUnreadable`,
/// exit 66); a configuration that does not load is `configurationInvalid` (exit 78).
///
/// Detection is not run: `load_default` never sets the manager's own socket, and child
/// milters do not matter for the MTA's settings.
public struct ManagerSocket: Sendable {
    /// The file-system root.
    public var root: String
    /// `--config-dir` (inside the root), searched before `/etc/milter-manager`.
    public var configDirectory: String?
    /// Further directories searched after it (`$MILTER_MANAGER_CONFIG_DIR`).
    public var extraDirectories: [String]

    /// The socket of the configuration under `root`.
    public init(root: String, configDirectory: String? = nil, extraDirectories: [String] = []) {
        self.root = root
        self.configDirectory = configDirectory
        self.extraDirectories = extraDirectories
    }

    /// Loads the configuration and returns `manager.connection_spec`.
    public func resolve() throws(ConfigGenError) -> WrittenConnectionSpec {
        try resolveSetting().value
    }

    /// Loads the configuration and returns `manager.connection_spec` with where it was set.
    public func resolveSetting() throws(ConfigGenError) -> Setting<WrittenConnectionSpec> {
        guard RootDirectory(root).isReadable else { throw .rootNotReadable(root) }
        let platform = MilterDetector(root: root, dataDirectory: nil).identifyPlatform()
        let loader = ConfigurationLoader(
            root: root, configDirectory: configDirectory, extraDirectories: extraDirectories, platform: platform,
            detector: nil)
        let result = loader.load()
        if let error = Self.unreadableConfiguration(in: result.errors) { throw error }
        guard result.errors.isEmpty else { throw .configurationInvalid(result.errors) }
        // The service's own files pass an option that wins over the configuration.
        if let service = ManagerServiceDefaults.read(root: root).connectionSpec {
            do {
                return Setting(try WrittenConnectionSpec(parsing: service.text), .file(service.location))
            } catch {
                throw .configurationInvalid([
                    ConfigurationError(
                        .invalidConnectionSpec(key: "CONNECTION_SPEC", error), at: service.location)
                ])
            }
        }
        return result.configuration.manager.connectionSpec
    }

    /// The error for a configuration that could not be read at all: a named directory that is
    /// missing, or a directory or main file that exists but cannot be read (reported at the
    /// path itself; a `load` of an unreadable file is reported at the `load` statement and is
    /// a configuration error like any other).
    static func unreadableConfiguration(in errors: [ConfigurationError]) -> ConfigGenError? {
        for error in errors {
            switch error.kind {
            case .configDirectoryNotFound(let path):
                return .configDirectoryMissing(path)
            case .unreadableFile(let path, let reason) where path == error.location.file:
                return .configurationUnreadable(path: path, reason: reason)
            case .unknownKey, .unknownMethod, .unknownName, .typeMismatch, .invalidValue, .invalidConnectionSpec,
                .unknownCondition, .invalidRegex, .unsupportedConstruct, .unexpectedToken, .unterminatedString,
                .unterminatedRegex, .unterminatedBlock, .wrongArgumentCount, .missingBlock, .readOnlyKey,
                .fileNotFound, .unreadableFile, .loadCycle, .nestingTooDeep, .milterIsTheManager, .evaluationTooLong,
                .invalidTable, .invalidRule, .invalidScript:
                continue
            }
        }
        return nil
    }
}
