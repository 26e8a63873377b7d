import Foundation
import MilterTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// issue 9 classes 2 and 9: SIGHUP never kills the running daemon (whatever the new
/// configuration holds, the running one stays), SIGTERM is honoured while a reload is stuck,
/// and a second SIGTERM/SIGINT stops at once.
@Suite("milter-manager signals and reloads", .serialized)
struct DaemonSignalTests {
    /// A daemon with one real libmilter child adding `X-Alpha: 1`.
    private func startWithChild(_ bench: DaemonBench, arguments: [String] = []) throws -> Subprocess {
        let (child, path) = try RealMilters.startTestMilter(
            in: bench.directory, name: "alpha", options: ["--add-header", "X-Alpha:1"])
        bench.adopt(child)
        try bench.writeConfig(children: [("alpha", "unix:" + path)])
        return try bench.startListening(arguments)
    }

    /// Configurations an attacker or a careless administrator could leave for the next SIGHUP.
    static let hostileConfigurations: [(String, [UInt8])] = [
        ("20,000 nested [", Array(("manager.connection_spec = " + String(repeating: "[", count: 20_000)).utf8)),
        (
            "5,000 nested (",
            Array(
                ("manager.max_connections = " + String(repeating: "(", count: 5_000) + "1"
                    + String(repeating: ")", count: 5_000) + "\n").utf8)
        ),
        ("binary garbage", (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) }),
        ("Latin-1 bytes in a key", Array("manager.conn".utf8) + [0xE9] + Array("ction_spec = \"unix:/tmp/x\"\n".utf8)),
        ("a NUL in a key", Array("manager.connection".utf8) + [0] + Array("_spec = \"unix:/tmp/x\"\n".utf8)),
        ("an unterminated block", Array("define_milter(\"x\") do |milter|\n".utf8)),
    ]

    @Test(arguments: hostileConfigurations)
    func aHostileConfigurationOnSighupKeepsTheRunningOne(_ name: String, _ bytes: [UInt8]) throws {
        let bench = try DaemonBench("reload")
        defer { bench.tearDown() }
        let daemon = try startWithChild(bench)
        try Data(bytes).write(to: bench.etc.appendingPathComponent("milter-manager.conf"))
        kill(daemon.pid, SIGHUP)
        try Subprocess.waitFor("the refused reload to be logged") {
            bench.log.contains("keeping the running one") || !daemon.process.isRunning
        }
        #expect(daemon.process.isRunning, "\(name): the daemon died: \(daemon.log)")
        #expect(!bench.log.contains("configuration reloaded"))
        #expect(try bench.session().output.contains("+ X-Alpha: 1"), "\(name): the running configuration is gone")
        kill(daemon.pid, SIGTERM)
        #expect(try bench.waitForExit(daemon) == 0)
    }

    /// Numbers at their limits reach the runtime if they load: a session must still work.
    @Test(arguments: ["1e308", "1.7976931348623157e308", "0.0000001"])
    func extremeTimeoutsOnSighupNeverCrashASession(_ value: String) throws {
        let bench = try DaemonBench("numbers")
        defer { bench.tearDown() }
        let daemon = try startWithChild(bench)
        let child = bench.directory.appendingPathComponent("alpha.sock").path
        try bench.writeConfig(
            """
            manager.suspend_time_on_unacceptable = \(value.contains("e") ? "1000000000" : "0")
            define_milter("alpha") do |milter|
              milter.connection_spec = "unix:\(child)"
              milter.connection_timeout = \(value)
              milter.reading_timeout = \(value)
              milter.writing_timeout = \(value)
              milter.end_of_message_timeout = \(value)
            end
            """)
        kill(daemon.pid, SIGHUP)
        try Subprocess.waitFor("the reload to be decided") {
            bench.log.contains("keeping the running one") || bench.log.contains("configuration reloaded")
                || !daemon.process.isRunning
        }
        #expect(daemon.process.isRunning, "\(daemon.log)")
        let session = try bench.session()
        #expect(session.status == 0, "\(session.output)")
        #expect(daemon.process.isRunning, "a session with timeouts of \(value) killed the daemon: \(daemon.log)")
        kill(daemon.pid, SIGTERM)
        #expect(try bench.waitForExit(daemon) == 0)
    }

    /// A milter-manager.conf replaced by a FIFO nobody writes to: the reload blocks (in the
    /// separate check, or is refused at once when the loader refuses FIFOs); sessions still
    /// flow meanwhile, and SIGTERM still stops the daemon, leaving no process behind.
    @Test func sigtermIsHonouredWhileAReloadIsStuck() throws {
        let bench = try DaemonBench("fifo")
        defer { bench.tearDown() }
        let daemon = try startWithChild(bench)
        let config = bench.etc.appendingPathComponent("milter-manager.conf").path
        unlink(config)
        #expect(mkfifo(config, 0o644) == 0)
        kill(daemon.pid, SIGHUP)
        var helpers: [Int32] = []
        try Subprocess.waitFor("a reload check to run or the reload to be refused") {
            helpers = Self.childProcesses(of: daemon.pid)
            return !helpers.isEmpty || bench.log.contains("keeping the running one")
        }
        #expect(try bench.session().output.contains("+ X-Alpha: 1"), "sessions must flow while a reload is stuck")
        kill(daemon.pid, SIGTERM)
        #expect(try bench.waitForExit(daemon) == 0)
        #expect(!FileManager.default.fileExists(atPath: bench.socket))
        for helper in helpers {
            try Subprocess.waitFor("the reload check \(helper) to be gone") { kill(helper, 0) != 0 }
        }
    }

    @Test func aStormOfSighupsEndsWithTheLastConfiguration() throws {
        let bench = try DaemonBench("storm")
        defer { bench.tearDown() }
        let daemon = try startWithChild(bench)
        let (beta, betaPath) = try RealMilters.startTestMilter(
            in: bench.directory, name: "beta", options: ["--add-header", "X-Beta:2"])
        bench.adopt(beta)
        try bench.writeConfig(children: [("beta", "unix:" + betaPath)])
        for _ in 0..<50 { kill(daemon.pid, SIGHUP) }
        try Subprocess.waitFor("the new configuration to serve") {
            (try? bench.session().output.contains("+ X-Beta: 2")) == true || !daemon.process.isRunning
        }
        #expect(daemon.process.isRunning)
        let output = try bench.session().output
        #expect(output.contains("+ X-Beta: 2") && !output.contains("X-Alpha"))
        kill(daemon.pid, SIGTERM)
        #expect(try bench.waitForExit(daemon) == 0)
    }

    static let signalPairs: [(Int32, Int32)] = [
        (SIGTERM, SIGTERM), (SIGINT, SIGINT), (SIGTERM, SIGINT), (SIGINT, SIGTERM),
    ]

    /// The first signal waits for the session in flight (30 s); the second one stops at once
    /// with the signal's default action, after removing the socket and the PID file.
    @Test(arguments: signalPairs)
    func aSecondStopSignalStopsAtOnce(first: Int32, second: Int32) throws {
        let bench = try DaemonBench("twice")
        defer { bench.tearDown() }
        try bench.writeConfig()
        let daemon = try bench.startListening(["--verbose"])
        let client = DaemonBench.connect(bench.socket)
        defer { close(client) }
        #expect(DaemonBench.negotiate(client), "the session must be under way")
        kill(daemon.pid, first)
        try Subprocess.waitFor("the graceful shutdown to start") { bench.log.contains("[manager][stop] shutting down") }
        #expect(daemon.process.isRunning, "the first signal must wait for the session in flight")
        kill(daemon.pid, second)
        // Far less than the 30 s the graceful shutdown would wait for the session.
        let status = try bench.waitForExit(daemon, timeout: 10)
        #expect(status == 128 + second)
        #expect(bench.log.contains("again: stopping at once"))
        #expect(!FileManager.default.fileExists(atPath: bench.socket))
        #expect(!FileManager.default.fileExists(atPath: bench.pidFile))
    }

    /// The processes whose parent is `pid` (from /proc).
    static func childProcesses(of pid: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.filter { candidate in
            guard let text = try? String(contentsOfFile: "/proc/\(candidate)/stat", encoding: .utf8),
                let close = text.lastIndex(of: ")")
            else { return false }
            let fields = text[text.index(after: close)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == pid
        }
    }
}
