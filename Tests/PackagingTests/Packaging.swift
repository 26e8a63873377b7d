import Foundation
import MilterTestSupport

/// The files under `packaging/` and the means to run them in tests.
enum Packaging {
    /// `packaging/` in the checkout.
    static var directory: URL { TestPaths.packageRoot.appendingPathComponent("packaging") }

    /// A file under `packaging/`.
    static func file(_ relative: String) -> URL { directory.appendingPathComponent(relative) }

    /// Every file that is shell: the hooks, the init scripts, the files they (or systemd) source,
    /// the Munin plugins.
    static let shellFiles = [
        "postinstall", "init.d/milter-manager", "sysconfig/milter-manager", "default/milter-manager",
        "rc.d/milter-manager", "munin/milter_manager_", "munin/milter_manager_memory",
    ]

    /// Runs `packaging/<script>` with /bin/sh; returns exit status and combined output.
    static func sh(_ script: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (
        status: Int32, output: String
    ) {
        try Subprocess.run("/bin/sh", [file(script).path] + arguments, environment: environment)
    }

    /// The full path of a command found on PATH (or in the usual system directories), or nil.
    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/bin", "/bin", "/usr/sbin", "/sbin"]
        for directory in directories {
            let candidate = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
