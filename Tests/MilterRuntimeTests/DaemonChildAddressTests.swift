import Foundation
import MilterTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// issue 9 classes 11 and 12: a child whose host does not resolve never stops start-up (its
/// fallback applies, a warning says why); a child that reaches the manager's own socket under
/// another spelling fails with its fallback instead of looping.
@Suite("milter-manager child addresses", .serialized)
struct DaemonChildAddressTests {
    static let unresolvable = "inet:10025@no-such-host.invalid"

    /// fallback_status of the unreachable child → what milter-test-server reports.
    static let fallbacks: [(String, String)] = [
        ("accept", "status: accept"), ("temporary-failure", "status: temporary-failure"), ("reject", "status: reject"),
    ]

    @Test(arguments: fallbacks)
    func aChildHostThatDoesNotResolveGetsItsFallback(_ fallback: String, _ expected: String) throws {
        let bench = try DaemonBench("dns")
        defer { bench.tearDown() }
        try bench.writeConfig(
            """
            define_milter("ghost") do |milter|
              milter.connection_spec = "\(Self.unresolvable)"
              milter.fallback_status = "\(fallback)"
            end
            """)
        let shown = try bench.run(["--show-config"])
        #expect(shown.status == 0, "\(shown.output)")
        #expect(shown.output.contains("milter.connection_spec = \"\(Self.unresolvable)\""))
        let daemon = try bench.startListening()
        for _ in 0..<3 {
            let session = try bench.session()
            #expect(session.output.hasPrefix(expected), "\(session.output)")
        }
        #expect(daemon.process.isRunning)
        let warnings =
            bench.log.components(separatedBy: "[manager][resolve] cannot resolve no-such-host.invalid").count - 1
        #expect(warnings == 1, "warned \(warnings) times: \(bench.log)")
        kill(daemon.pid, SIGTERM)
        #expect(try bench.waitForExit(daemon) == 0)
    }

    @Test func aChildHostNameIsResolvedWhenConnecting() throws {
        let bench = try DaemonBench("name")
        defer { bench.tearDown() }
        let port = try Ports.free()
        bench.adopt(
            try RealMilters.startTestMilter(
                in: bench.directory, name: "alpha", port: port, options: ["--add-header", "X-Alpha:1"]))
        try bench.writeConfig(children: [("alpha", "inet:\(port)@localhost")])
        let daemon = try bench.startListening()
        #expect(try bench.session().output.contains("+ X-Alpha: 1"))
        #expect(try bench.session().output.contains("+ X-Alpha: 1"))
        kill(daemon.pid, SIGTERM)
        #expect(try bench.waitForExit(daemon) == 0)
    }

    /// How a child's spec can reach the manager's own socket in ways the load-time check (which
    /// compares the specs' text) cannot see.
    enum SelfSpelling: String, CaseIterable, CustomTestStringConvertible {
        /// The manager listens on every address; the child names another loopback address.
        case otherLoopbackAddress
        /// The child's path goes through a symbolic link to the manager's directory.
        case unixThroughLinkedDirectory
        /// The child's path is a hard link to the manager's socket, made after it started.
        case unixHardLink
        var testDescription: String { rawValue }
    }

    @Test(arguments: SelfSpelling.allCases)
    func aChildThatIsTheManagerItselfFailsWithItsFallback(_ spelling: SelfSpelling) throws {
        let bench = try DaemonBench("self")
        defer { bench.tearDown() }
        let (beta, betaPath) = try RealMilters.startTestMilter(
            in: bench.directory, name: "beta", options: ["--add-header", "X-Beta:2"])
        bench.adopt(beta)
        var extra = ""
        var sessionSpec = "unix:" + bench.socket
        let selfSpec: String
        let hardLink = bench.directory.appendingPathComponent("other.sock").path
        switch spelling {
        case .otherLoopbackAddress:
            let port = try Ports.free()
            extra = "manager.connection_spec = \"inet:\(port)\""
            sessionSpec = "inet:\(port)@127.0.0.1"
            selfSpec = "inet:\(port)@[127.0.0.2]"
        case .unixThroughLinkedDirectory:
            let alias = bench.directory.appendingPathComponent("alias").path
            try FileManager.default.createSymbolicLink(atPath: alias, withDestinationPath: bench.directory.path)
            selfSpec = "unix:\(alias)/manager.sock"
        case .unixHardLink:
            selfSpec = "unix:" + hardLink
        }
        try bench.writeConfig(extra, children: [("itself", selfSpec), ("beta", "unix:" + betaPath)])
        let daemon = try bench.startListening()
        if spelling == .unixHardLink { #expect(link(bench.socket, hardLink) == 0) }
        for _ in 0..<3 {
            let session = try Subprocess.run(
                try TestPaths.product("milter-test-server").path,
                ["-s", sessionSpec, "--output-message", "--timeout", "20"])
            #expect(session.status == 0, "\(session.output)")
            #expect(session.output.hasPrefix("status: accept"), "\(session.output)")
            #expect(session.output.contains("+ X-Beta: 2"), "the other child still works")
        }
        #expect(daemon.process.isRunning)
        let reports = bench.log.components(separatedBy: "the manager connected to itself").count - 1
        #expect(reports == 1, "reported \(reports) times (once a minute): \(bench.log)")
        kill(daemon.pid, SIGTERM)
        #expect(try bench.waitForExit(daemon) == 0)
    }
}
