import Foundation
import MilterTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// packaging/: the shell files parse, the systemd unit verifies, every option the files pass
/// exists in the daemon, the post-install hook sets up a fixture root, and the SysV init
/// script starts, reloads and stops the real daemon.
@Suite("packaging", .serialized)
struct PackagingTests {
    @Test(arguments: Packaging.shellFiles)
    func shellFileParses(_ name: String) throws {
        let result = try Subprocess.run("/bin/sh", ["-n", Packaging.file(name).path])
        #expect(result.status == 0, "\(name): \(result.output)")
    }

    @Test(.enabled(if: Packaging.which("systemd-analyze") != nil, "systemd-analyze is not installed"))
    func systemdUnitVerifies() throws {
        let directory = try TestPaths.makeTemporaryDirectory("unit")
        defer { try? FileManager.default.removeItem(at: directory) }
        // The unit names the installed binary; verify it with the one just built.
        let unit = try String(contentsOf: Packaging.file("systemd/milter-manager.service"), encoding: .utf8)
        let built = try TestPaths.product("milter-manager").path
        try unit.replacingOccurrences(of: "/usr/sbin/milter-manager", with: built)
            .write(to: directory.appendingPathComponent("milter-manager.service"), atomically: true, encoding: .utf8)
        let result = try Subprocess.run(
            Packaging.which("systemd-analyze")!,
            ["verify", directory.appendingPathComponent("milter-manager.service").path])
        #expect(result.status == 0, "\(result.output)")
        #expect(!result.output.contains("milter-manager.service:"), "\(result.output)")
    }

    /// Every `--option` the unit, the init script and the example OPTION_ARGS pass to
    /// milter-manager is one it knows.
    @Test func everyOptionPassedToTheDaemonExists() throws {
        let help = try Subprocess.run(try TestPaths.product("milter-manager").path, ["--help"])
        #expect(help.status == 0)
        let known = Set(Self.options(in: help.output))
        var passed: [String: String] = [:]
        let unit = try String(contentsOf: Packaging.file("systemd/milter-manager.service"), encoding: .utf8)
        for line in unit.split(separator: "\n") where line.hasPrefix("ExecStart=") {
            for option in Self.options(in: String(line)) { passed[option] = "the systemd unit" }
        }
        let initScript = try String(contentsOf: Packaging.file("init.d/milter-manager"), encoding: .utf8)
        for line in initScript.split(separator: "\n") where line.contains("args=\"") {
            for option in Self.options(in: String(line)) { passed[option] = "init.d/milter-manager" }
        }
        let rcScript = try String(contentsOf: Packaging.file("rc.d/milter-manager"), encoding: .utf8)
        for line in rcScript.split(separator: "\n") where line.contains("command_args=\"") {
            for option in Self.options(in: String(line)) { passed[option] = "rc.d/milter-manager" }
        }
        for name in ["default/milter-manager", "sysconfig/milter-manager"] {
            let text = try String(contentsOf: Packaging.file(name), encoding: .utf8)
            for line in text.split(separator: "\n") where line.contains("OPTION_ARGS=\"--") {
                for option in Self.options(in: String(line)) { passed[option] = name }
            }
        }
        #expect(passed.keys.contains("--daemon") && passed.keys.contains("--pid-file"))
        #expect(passed.keys.contains("--connection-spec") && passed.keys.contains("--unix-socket-group"))
        for (option, file) in passed.sorted(by: { $0.key < $1.key }) {
            #expect(known.contains(option), "\(file) passes \(option), which milter-manager --help does not list")
        }
    }

    /// `--name` words in `text` (`--name=value` counts as `--name`).
    static func options(in text: String) -> [String] {
        var result: [String] = []
        var rest = Substring(text)
        while let range = rest.range(of: "--") {
            let word = rest[range.lowerBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" }
            if word.count > 2, word.dropFirst(2).first?.isLetter == true { result.append(String(word)) }
            rest = rest[range.upperBound...]
        }
        return result
    }

    /// The hook on the install guide's CentOS 6 layout: writes milter-manager.conf and the run
    /// directory, prints the main.cf lines, keeps the local file; a second run changes nothing.
    @Test func postinstallSetsUpAFixtureRootOnceAndKeepsTheLocalFile() throws {
        let root = try FixtureRoots.copy("redhat-6/install-guide", label: "postinst")
        defer { try? FileManager.default.removeItem(at: root) }
        let local = "define_milter(\"clamav-milter\") do |milter|\n  milter.enabled = false\nend\n"
        let localURL = root.appendingPathComponent("etc/milter-manager/milter-manager.local.conf")
        try FileManager.default.createDirectory(
            at: localURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        try local.write(to: localURL, atomically: true, encoding: .utf8)
        let bindir = TestPaths.productsDirectory.path
        let arguments = ["--root", root.path, "--bindir", bindir, "--no-create-user"]

        let first = try Packaging.sh("postinstall", arguments)
        #expect(first.status == 0, "\(first.output)")
        let conf = root.path + "/etc/milter-manager/milter-manager.conf"
        #expect(first.output.contains("wrote \(conf)"), "\(first.output)")
        #expect(first.output.contains("kept your settings in \(conf.dropLast(5)).local.conf"))
        #expect(first.output.contains("    smtpd_milters = unix:/var/run/milter-manager/milter-manager.sock\n"))
        #expect(first.output.contains("milter-manager-config postfix --root \(root.path) --apply"))
        var isDirectory: ObjCBool = false
        #expect(
            FileManager.default.fileExists(atPath: root.path + "/var/run/milter-manager", isDirectory: &isDirectory))
        #expect(isDirectory.boolValue)
        let written = try String(contentsOfFile: conf, encoding: .utf8)
        #expect(written.contains("package.platform = \"redhat\"\nload_default\n"))
        #expect(try String(contentsOf: localURL, encoding: .utf8) == local)

        let snapshot = try FixtureRoots.snapshot(root)
        let second = try Packaging.sh("postinstall", arguments)
        #expect(second.status == 0, "\(second.output)")
        #expect(second.output.contains("\(conf) is up to date"))
        #expect(try FixtureRoots.snapshot(root) == snapshot)

        // The result is what the daemon runs with: clamav-milter disabled by the local file.
        let show = try Subprocess.run(
            try TestPaths.product("milter-manager").path, ["--root", root.path, "--show-config"])
        #expect(show.status == 0, "\(show.output)")
        #expect(show.output.contains("define_milter(\"spamass-milter\")"))
    }

    @Test func postinstallStopsOnAConfigurationThatDoesNotLoad() throws {
        let root = try FixtureRoots.copy("redhat-6/install-guide", label: "postinst-bad")
        defer { try? FileManager.default.removeItem(at: root) }
        let conf = root.appendingPathComponent("etc/milter-manager/milter-manager.conf")
        try FileManager.default.createDirectory(at: conf.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "manager.connection_spec = 10025\n".write(to: conf, atomically: true, encoding: .utf8)
        let result = try Packaging.sh(
            "postinstall", ["--root", root.path, "--bindir", TestPaths.productsDirectory.path, "--no-create-user"])
        #expect(result.status == 78, "\(result.output)")
        #expect(result.output.contains("/etc/milter-manager/milter-manager.conf:1:"))
        #expect(result.output.contains("milter-manager-config generate failed (status 78)"))
        #expect(try String(contentsOf: conf, encoding: .utf8) == "manager.connection_spec = 10025\n")
    }

    @Test(arguments: [
        (["--bogus"], Int32(64), "unknown argument: --bogus"),
        (["--root"], Int32(64), "option --root needs a value"),
        (["--root", "/nonexistent-mm-root"], Int32(1), "root directory does not exist: /nonexistent-mm-root"),
        (
            ["--root", "/tmp", "--bindir", "/nonexistent-bin"], Int32(1),
            "milter-manager-config is not installed in /nonexistent-bin"
        ),
        (["--help"], Int32(0), "Usage:"),
    ])
    func postinstallUsage(_ arguments: [String], _ status: Int32, _ message: String) throws {
        let result = try Packaging.sh("postinstall", arguments, environment: ["MILTER_MANAGER_BINDIR": ""])
        #expect(result.status == status, "\(result.output)")
        #expect(result.output.contains(message), "\(result.output)")
    }

    /// The CentOS 6 init script (without /etc/rc.d/init.d/functions, as on Debian) drives the
    /// built daemon: start, status, a session through it, reload, stop, status.
    @Test func initScriptStartsReloadsAndStopsTheDaemon() throws {
        let directory = try TestPaths.makeTemporaryDirectory("initd")
        defer { try? FileManager.default.removeItem(at: directory) }
        for name in ["etc", "run", "lock"] {
            try FileManager.default.createDirectory(
                at: directory.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        let socket = directory.path + "/run/milter-manager.sock"
        let log = directory.path + "/manager.log"
        try "log.use_syslog = false\n".write(
            to: directory.appendingPathComponent("etc/milter-manager.conf"), atomically: true, encoding: .utf8)
        let user = String(cString: getpwuid(geteuid())!.pointee.pw_name)
        let sysconfig = """
            MILTER_MANAGER=\(try TestPaths.product("milter-manager").path)
            PIDFILE=\(directory.path)/run/milter-manager.pid
            LOCKFILE=\(directory.path)/lock/milter-manager
            STOP_TIMEOUT=15
            USER=\(user)
            CONNECTION_SPEC=unix:\(socket)
            OPTION_ARGS="--config-dir \(directory.path)/etc --log-path \(log)"

            """
        let sysconfigURL = directory.appendingPathComponent("sysconfig")
        try sysconfig.write(to: sysconfigURL, atomically: true, encoding: .utf8)
        let environment = ["MILTER_MANAGER_SYSCONFIG": sysconfigURL.path]
        func initd(_ action: String) throws -> (status: Int32, output: String) {
            try Packaging.sh("init.d/milter-manager", [action], environment: environment)
        }
        defer { _ = try? initd("stop") }

        #expect(try initd("status") == (3, "milter-manager is stopped\n"))
        let start = try initd("start")
        #expect(start.status == 0, "\(start.output)")
        #expect(start.output == "Starting milter manager: OK\n")
        #expect(FileManager.default.fileExists(atPath: directory.path + "/lock/milter-manager"))
        let status = try initd("status")
        #expect(status.status == 0)
        #expect(status.output.hasPrefix("milter-manager (pid "))
        #expect(try initd("start").output.hasPrefix("milter manager is already running"))

        let session = try Subprocess.run(
            try TestPaths.product("milter-test-server").path, ["-s", "unix:" + socket, "--timeout", "10"])
        #expect(session.status == 0, "\(session.output)")
        #expect(session.output.hasPrefix("status: "))

        #expect(try initd("reload") == (0, "Reloading milter manager: OK\n"))
        let stop = try initd("stop")
        #expect(stop == (0, "Stopping milter manager: OK\n"))
        #expect(try initd("status") == (3, "milter-manager is stopped\n"))
        #expect(!FileManager.default.fileExists(atPath: socket))
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/lock/milter-manager"))
        #expect(try initd("reload").status == 7)
        #expect(try initd("bogus").status == 2)
    }
}
