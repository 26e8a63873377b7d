import Foundation
import MilterControl
import MilterTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Child milters started on demand (issue 16), with the built daemon started as root in
/// privilege mode: it drops to `nobody`, its launcher stays root, and the launcher runs a
/// milter's `command` as `milter.user_name` when a session cannot reach the milter. The child
/// is a real pymilter (Debian python3-milter); the command is a start script like an init
/// script's: it starts the milter in the background and exits.
@Suite("Children started on demand", .serialized)
struct ChildStartTests {
    static var isRoot: Bool { geteuid() == 0 }

    /// A daemon bench in privilege mode; its socket, PID file, log and the child's files are in
    /// `run`, which belongs to nobody.
    struct Privileged {
        let bench: DaemonBench
        let run: URL
        let nobody: uid_t

        init(_ label: String) throws {
            bench = try DaemonBench(label)
            run = bench.directory.appendingPathComponent("run")
            try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
            let account = try #require(getpwnam("nobody")).pointee
            nobody = account.pw_uid
            guard chown(run.path, account.pw_uid, account.pw_gid) == 0 else {
                throw TestSupportError("chown \(run.path): errno \(errno)")
            }
            bench.socket = run.appendingPathComponent("manager.sock").path
            bench.pidFile = run.appendingPathComponent("manager.pid").path
            bench.logPath = run.appendingPathComponent("manager.log").path
        }

        func path(_ name: String) -> String { run.appendingPathComponent(name).path }

        /// Writes an executable script (root's, mode 0755) in the bench directory.
        func script(_ name: String, _ body: String) throws -> String {
            let file = bench.directory.appendingPathComponent(name).path
            try ("#!/bin/sh\n" + body).write(toFile: file, atomically: true, encoding: .utf8)
            chmod(file, 0o755)
            return file
        }

        /// Writes milter-manager.conf: privilege mode, the daemon as nobody, one child with a
        /// command run as nobody.
        func writeConfig(child spec: String, command: String) throws {
            try bench.writeConfigText(
                """
                security.privilege_mode = true
                security.effective_user = "nobody"
                manager.connection_spec = "unix:\(bench.socket)"
                manager.pid_file = "\(bench.pidFile)"
                log.use_syslog = false
                log.path = "\(bench.logPath)"
                controller.connection_spec = "\(bench.controlSpec)"
                define_milter("pymilter") do |milter|
                  milter.connection_spec = "\(spec)"
                  milter.command = "\(command)"
                  milter.user_name = "nobody"
                end

                """)
        }
    }

    @Test(.enabled(if: isRoot, "the daemon must start as root to keep a root launcher"))
    func aStoppedChildIsStartedAgainByItsCommand() throws {
        let setup = try Privileged("ctl-start")
        let bench = setup.bench
        let pidFile = setup.path("pymilter.pid")
        defer {
            if let text = try? String(contentsOfFile: pidFile, encoding: .utf8), let pid = Int32(text.trimmed) {
                kill(pid, SIGKILL)
            }
            bench.tearDown()
        }
        let socket = setup.path("pymilter.sock")
        let script = TestPaths.fixtures.appendingPathComponent("milters/pymilter_tag.py").path
        let start = try setup.script(
            "start-pymilter",
            """
            # Starts the pymilter child in the background, as an init script would, and exits.
            \(RealMilters.debianPython) \(script) unix:\(socket) >>\(setup.path("pymilter.out")) 2>&1 </dev/null &
            echo $! >\(pidFile)
            echo "started pymilter as $(id -un)"

            """)
        try setup.writeConfig(child: "unix:" + socket, command: start)
        // The child runs (started by hand) when the daemon starts.
        let byHand = try RealMilters.startPymilter("pymilter_tag.py", spec: "unix:" + socket, in: bench.directory)
        bench.adopt(byHand)
        try Subprocess.waitFor("pymilter to listen") { DaemonBench.connectable(socket) }
        let daemon = try bench.startListening()
        #expect(try bench.session().output.contains("+ X-Pymilter-Tag: pymilter"))
        var child = try bench.child("pymilter")
        #expect(child["reachable"]?.boolValue == true && child["started_by_manager"]?.boolValue == false)
        #expect(child["start"]?["attempts"]?.intValue == 0 && child["start"]?["available"]?.boolValue == true)

        // It stops; the next session is served by its fallback and starts it.
        byHand.kill9()
        let meanwhile = try bench.session()
        #expect(meanwhile.output.hasPrefix("status: accept"), "\(meanwhile.output)")
        #expect(!meanwhile.output.contains("X-Pymilter-Tag"), "\(meanwhile.output)")
        try Subprocess.waitFor("the start script to have run", timeout: 30) {
            FileManager.default.fileExists(atPath: pidFile) && DaemonBench.connectable(socket)
        }
        try Subprocess.waitFor("the start to be reported") {
            (try? bench.child("pymilter")["start"]?["last_result"]?.stringValue) == "exited with status 0"
        }
        #expect(try bench.session().output.contains("+ X-Pymilter-Tag: pymilter"), "served by the child again")
        child = try bench.child("pymilter")
        #expect(
            child["reachable"]?.boolValue == true && child["started_by_manager"]?.boolValue == true, "\(child.text)")
        #expect(child["start"]?["attempts"]?.intValue == 1)
        #expect(child["start"]?["running_pid"]?.isNull == true)
        #expect(bench.log.contains("[launcher][request] pymilter: its connection failed"), "\(bench.log)")
        #expect(bench.log.contains("[launcher][start] pymilter: \(start) as nobody, pid "), "\(bench.log)")
        #expect(bench.log.contains("[launcher][success] pymilter: exited with status 0: started pymilter as nobody"))

        // Who runs as whom: the daemon and the child as nobody, the launcher alone as root.
        let status = try bench.status()
        let launcher = try #require(status["launcher"]?["pid"]?.intValue.map(Int32.init))
        #expect(status["privilege_mode"]?.boolValue == true && status["launcher"]?["running"]?.boolValue == true)
        #expect(DaemonBench.userIDs(daemon.pid) == Array(repeating: UInt32(setup.nobody), count: 4))
        #expect(DaemonBench.userIDs(launcher) == [0, 0, 0, 0])
        let pymilter = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmed))
        #expect(DaemonBench.userIDs(pymilter) == Array(repeating: UInt32(setup.nobody), count: 4))
        let rootChildren = DaemonBench.children(of: daemon.pid).filter { DaemonBench.userIDs($0)?.contains(0) == true }
        #expect(rootChildren == [launcher], "the daemon's root children")
        #expect(try bench.ctl(["status"]).output.contains("privilege mode: on, launcher pid \(launcher)\n"))

        // The launcher ends with the daemon; the child it started stays.
        kill(daemon.pid, SIGTERM)
        #expect(try bench.waitForExit(daemon) == 0)
        try Subprocess.waitFor("the launcher to exit") { !DaemonBench.exists(launcher) }
        #expect(DaemonBench.exists(pymilter))
    }

    @Test(.enabled(if: isRoot, "the daemon must start as root to keep a root launcher"))
    func aCommandThatKeepsFailingIsNotRunAgainAndAgain() throws {
        let setup = try Privileged("ctl-backoff")
        let bench = setup.bench
        defer { bench.tearDown() }
        let attempts = setup.path("attempts")
        let fail = try setup.script(
            "start-nothing",
            """
            echo attempt >>\(attempts)
            echo "no such milter here" >&2
            exit 1

            """)
        try setup.writeConfig(child: "unix:" + setup.path("nothing.sock"), command: fail)
        let daemon = try bench.startListening()
        let sessions = 12
        for _ in 0..<sessions {
            let session = try bench.session()
            #expect(session.output.hasPrefix("status: accept"), "\(session.output)")
        }
        try Subprocess.waitFor("the first attempt to end") {
            (try? bench.child("pymilter")["start"]?["last_result"]?.stringValue) != nil
        }
        let child = try bench.child("pymilter")
        let start = try #require(child["start"])
        let counted = try #require(start["attempts"]?.intValue)
        let ran = (try? String(contentsOfFile: attempts, encoding: .utf8))?.split(separator: "\n").count ?? 0
        #expect(ran == counted, "every run is counted, and nothing else ran")
        // Waits of 5, then 10, then 20 seconds: twelve sessions in a row cannot reach a fourth.
        #expect(counted >= 1 && counted <= 3, "\(counted) attempts for \(sessions) sessions")
        #expect(start["last_result"]?.stringValue == "exited with status 1: no such milter here", "\(start.text)")
        #expect(start["next_attempt_in_seconds"]?.numberValue != nil, "the back-off is shown: \(start.text)")
        #expect(child["reachable"]?.boolValue == false && child["started_by_manager"]?.boolValue == false)
        let text = try bench.ctl(["children"]).output
        #expect(text.contains("    \(counted) attempt"), "\(text)")
        #expect(text.contains(": exited with status 1: no such milter here\n"), "\(text)")
        #expect(text.contains("    next attempt: "), "\(text)")
        let failures = bench.log.components(separatedBy: "[launcher][failure] pymilter: exited with status 1").count - 1
        #expect(failures == counted, "each failure is logged once: \(bench.log)")
        kill(daemon.pid, SIGTERM)
        #expect(try bench.waitForExit(daemon) == 0)
    }
}

extension String {
    fileprivate var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
