import Configuration
import Foundation
import Logging
import MilterProtocol
import MilterRuntime
import MilterTestSupport
import NIOCore
import NIOPosix
import Testing

/// issue 9 class 1, runtime side: whatever number the configuration model carries (the loader
/// checks ranges first; this is the second line), the runtime's arithmetic cannot trap and the
/// accept loop cannot spin.
@Suite("Runtime arithmetic saturates", .serialized)
struct RuntimeArithmeticTests {
    static let hostileSeconds: [Double] = [
        1e308, .greatestFiniteMagnitude, .infinity, -.infinity, .nan, -1, -1e308, 0, -0.0, 1e-300,
        .leastNonzeroMagnitude, 9.3e9, Double(Int64.max) / 1e9,
    ]

    static let conversions: [(Double, Int64)] = [
        (1e308, .max), (.infinity, .max), (9.3e9, .max), (Double(Int64.max) / 1e9, .max),
        (-.infinity, 0), (.nan, 0), (-1, 0), (0, 0), (-0.0, 0), (1e-300, 0),
        (1.5, 1_500_000_000), (297, 297_000_000_000), (9.2e9, 9_200_000_000_000_000_000),
    ]

    @Test(arguments: conversions)
    func secondsBecomeATimeAmountThatCannotTrap(_ seconds: Double, _ nanoseconds: Int64) {
        #expect(TimeAmount.saturating(seconds: seconds).nanoseconds == nanoseconds)
    }

    @Test(arguments: hostileSeconds)
    func theAcceptPauseHasAFloorAndNoCeilingTrap(_ seconds: Double) {
        let configuration = RuntimeConfiguration(
            listenSpec: .unix(path: "/tmp/x.sock"), children: [], suspendTimeOnUnacceptable: seconds)
        let pause = configuration.suspendTime.nanoseconds
        #expect(pause >= 100_000_000, "a pause of \(pause) ns would let the accept loop spin")
        #expect(pause == max(100_000_000, TimeAmount.saturating(seconds: seconds).nanoseconds))
    }

    /// Every timer of a session (child connection, writing, reading, end-of-message, MTA idle)
    /// and the accept pause with a hostile value, against a real libmilter child: the session
    /// ends one way or another and the server keeps serving afterwards.
    @Test(arguments: hostileSeconds)
    func aSessionWithHostileTimersDoesNotTrap(_ seconds: Double) async throws {
        let directory = try TestPaths.makeTemporaryDirectory("timers")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (milter, path) = try RealMilters.startTestMilter(
            in: directory, name: "alpha", options: ["--add-header", "X-Alpha:1"])
        defer { milter.kill9() }
        let spec = ConnectionSpec.unix(path: path)
        let child = ChildDefinition(
            name: "alpha", connectionSpec: spec, connectionTimeout: seconds, writingTimeout: seconds,
            readingTimeout: seconds, endOfMessageTimeout: seconds)
        let socket = directory.appendingPathComponent("manager.sock").path
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let hostile = RuntimeConfiguration(
            listenSpec: .unix(path: socket), children: [try ResolvedChild(definition: child)],
            session: SessionSettings(mtaIdleTimeout: seconds), maxConnections: 1, suspendTimeOnUnacceptable: seconds)
        let server = ManagerServer(group: MultiThreadedEventLoopGroup.singleton, configuration: hostile, logger: logger)
        try await server.start()
        let first = try Self.session(socket)
        // Ended by the manager or completed: either way, a line of output and no trap.
        #expect(first.output.hasPrefix("status: "), "\(first.output)")

        server.reload(
            RuntimeConfiguration(
                listenSpec: .unix(path: socket),
                children: [try ResolvedChild(definition: ChildDefinition(name: "alpha", connectionSpec: spec))]))
        try Subprocess.waitFor("accepting with the sane configuration") {
            (try? Self.session(socket).output.contains("+ X-Alpha: 1")) == true
        }
        await server.shutdown(grace: 5)
    }

    private static func session(_ socket: String) throws -> (status: Int32, output: String) {
        try Subprocess.run(
            try TestPaths.product("milter-test-server").path,
            ["-s", "unix:" + socket, "--output-message", "--timeout", "10"])
    }

    /// `dnsbl.timeout` at its limits becomes a time amount without trapping.
    @Test(arguments: hostileSeconds)
    func aHostileDNSBLTimeoutDoesNotTrap(_ seconds: Double) throws {
        var parameters = DNSBLParameters()
        parameters.timeout = Setting(seconds)
        parameters.nameServers = Setting(["127.0.0.1"])
        let checker = DNSBLChecker(parameters: parameters)
        #expect(checker.timeout == .saturating(seconds: seconds))
    }

    /// Numbers of the manager section at their limits reach `RuntimeConfiguration.make`.
    @Test(arguments: [Int.max, Int.min, -1, 0, 70_000, 0o7777])
    func managerNumbersAtTheirLimitsDoNotTrap(_ value: Int) throws {
        var configuration = ManagerConfiguration(platform: .debian)
        configuration.manager.unixSocketMode = Setting(value)
        configuration.manager.suspendTimeOnUnacceptable = Setting(value)
        configuration.manager.maxConnections = Setting(value)
        configuration.manager.connectionSpec = Setting(try WrittenConnectionSpec(parsing: "unix:/tmp/manager.sock"))
        let (runtime, problems) = RuntimeConfiguration.make(from: configuration, root: "/nonexistent")
        #expect(!problems.contains { $0.isError }, "\(problems)")
        #expect(runtime.unixSocketMode <= 0o777)
        #expect(runtime.suspendTime.nanoseconds >= 100_000_000)
    }

    /// Postfix's `maxproc` at Int.max sizes the stress threshold without overflowing.
    @Test(arguments: ["9223372036854775807", "-5", "0", "100", "-"])
    func aHugeMaxprocInMasterCfDoesNotTrap(_ maxproc: String) throws {
        let root = try TestPaths.makeTemporaryDirectory("maxproc")
        defer { try? FileManager.default.removeItem(at: root) }
        let postfix = root.appendingPathComponent("etc/postfix")
        try FileManager.default.createDirectory(at: postfix, withIntermediateDirectories: true)
        try "smtp      inet  n       -       y       -       \(maxproc)       smtpd\n".write(
            to: postfix.appendingPathComponent("master.cf"), atomically: true, encoding: .utf8)
        try "default_process_limit = 9223372036854775807\n".write(
            to: postfix.appendingPathComponent("main.cf"), atomically: true, encoding: .utf8)
        var configuration = ManagerConfiguration(platform: .debian)
        configuration.manager.connectionSpec = Setting(try WrittenConnectionSpec(parsing: "unix:/tmp/manager.sock"))
        let (_, problems) = RuntimeConfiguration.make(from: configuration, root: root.path)
        #expect(!problems.contains { $0.isError }, "\(problems)")
    }
}
