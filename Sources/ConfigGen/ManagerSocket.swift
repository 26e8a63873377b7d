import Configuration
import Detect

/// The socket the manager listens on, as the MTA must be told: `manager.connection_spec` of
/// the effective configuration (milter-manager.conf under the root, as the daemon loads it,
/// or the platform's default when there is none).
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
        guard RootDirectory(root).isReadable else { throw .rootNotReadable(root) }
        let platform = MilterDetector(root: root, dataDirectory: nil).identifyPlatform()
        let loader = ConfigurationLoader(
            root: root, configDirectory: configDirectory, extraDirectories: extraDirectories, platform: platform,
            detector: nil)
        let result = loader.load()
        guard result.errors.isEmpty else { throw .configurationInvalid(result.errors) }
        return result.configuration.manager.connectionSpec.value
    }
}
