import Configuration
import MilterProtocol

#if canImport(Glibc)
    import Glibc
#endif

/// Where the daemon's control socket is: `--connection-spec`, or `controller.connection_spec`
/// of the configuration in `--config-dir` (or, without either, of the daemon's default
/// configuration: `$MILTER_MANAGER_CONFIG_DIR`, then /etc/milter-manager).
enum ControlTarget {
    /// Why there is no spec to connect to.
    struct Failure: Error {
        /// The lines to print (standard error).
        var lines: [String]
        /// 64 bad usage, 78 configuration.
        var status: Int32
    }

    /// The spec to connect to.
    static func resolve(connectionSpec: String?, configDirectory: String?) throws(Failure) -> ConnectionSpec {
        if let connectionSpec {
            do {
                return try ConnectionSpec(parsing: connectionSpec)
            } catch {
                throw Failure(lines: ["invalid --connection-spec: \(error)"], status: 64)
            }
        }
        let loader = ConfigurationLoader(
            root: "/", configDirectory: configDirectory.map(absolute),
            extraDirectories: ConfigurationLoader.environmentConfigDirectories(), platform: .unknown, detector: nil)
        let result = loader.load()
        // A configuration with errors elsewhere still names the socket (loading goes on after
        // an error): `reload` of a broken file must reach the daemon to be told why it fails.
        if let spec = result.configuration.controller.connectionSpec.value { return spec.spec }
        guard result.errors.isEmpty else {
            let lines = result.errors.map {
                ConfigurationErrorReport.render($0, program: "milter-manager-ctl", root: loader.root)
            }
            throw Failure(lines: lines, status: 78)
        }
        let read = result.loadedFiles.isEmpty ? "the built-in default" : result.loadedFiles.joined(separator: ", ")
        throw Failure(
            lines: [
                "milter-manager-ctl: controller.connection_spec is not set (read: \(read)); set it, e.g. "
                    + "controller.connection_spec = \"unix:/run/milter-manager/controller.sock\", restart "
                    + "milter-manager, or give --connection-spec"
            ], status: 78)
    }

    /// `path` from the working directory when it is relative.
    static func absolute(_ path: String) -> String {
        guard !path.hasPrefix("/"), let directory = getcwd(nil, 0) else { return path }
        defer { free(directory) }
        return String(cString: directory) + "/" + path
    }
}
