import Foundation
import MilterTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `manager.metrics_connection_spec`: the daemon serves Prometheus text format, scraped over real
/// TCP while real libmilter children accept, reject, tempfail and fail; the scrape passes
/// `promtool check metrics` (Debian's prometheus package).
@Suite("Prometheus metrics", .serialized)
struct MetricsTests {
    /// A daemon with three children: alpha adds a header and rejects "SPAM" subjects, beta
    /// tempfails "TEMP" subjects, gamma's socket does not exist (it fails every session).
    final class Setup {
        let daemon: DaemonTests.Setup
        let port: Int
        var process: Subprocess?

        init() throws {
            daemon = try DaemonTests.Setup()
            port = try Ports.free()
            let (alpha, alphaPath) = try RealMilters.startTestMilter(
                in: daemon.directory, name: "alpha", options: ["--add-header", "X-Alpha:1", "--reject-subject", "SPAM"])
            let (beta, betaPath) = try RealMilters.startTestMilter(
                in: daemon.directory, name: "beta", options: ["--tempfail-subject", "TEMP"])
            daemon.children += [alpha, beta]
            daemon.childSockets = [
                "alpha": alphaPath, "beta": betaPath,
                "gamma": daemon.directory.appendingPathComponent("gamma-is-not-there.sock").path,
            ]
        }

        func writeConfig(extra: String = "") throws {
            try daemon.writeConfig(
                milters: ["alpha", "beta", "gamma"],
                extra: "manager.metrics_connection_spec = \"inet:\(port)@[127.0.0.1]\"\n\(extra)")
        }

        func start() throws {
            let process = try Subprocess(
                try TestPaths.product("milter-manager").path, ["--config-dir", daemon.etc.path, "--no-daemon"],
                log: daemon.directory.appendingPathComponent("stdout.log"))
            self.process = process
            try Subprocess.waitFor("the metrics listener") {
                Ports.isListening(self.port) || !process.process.isRunning
            }
            #expect(process.process.isRunning, "\(process.log)")
        }

        func tearDown() {
            if let process {
                kill(process.process.processIdentifier, SIGTERM)
                try? Subprocess.waitFor("the daemon to stop") { !process.process.isRunning }
                process.kill9()
            }
            daemon.tearDown()
        }
    }

    @Test func aScrapeCountsSessionsChildrenStagesAndReloads() throws {
        let setup = try Setup()
        defer { setup.tearDown() }
        // Every body goes to a spool file (threshold 0), in the test's directory.
        try setup.writeConfig(
            extra: "manager.body_spool_threshold = 0\nmanager.body_spool_directory = \"\(setup.daemon.directory.path)\""
        )
        try setup.start()

        #expect(try setup.daemon.session("hello").contains("status: accept"))
        #expect(try setup.daemon.session("SPAM offer").contains("status: reject"))
        #expect(try setup.daemon.session("TEMP trouble").contains("status: temporary-failure"))
        #expect(try setup.daemon.session("again").contains("status: accept"))

        let pid = setup.process!.process.processIdentifier
        kill(pid, SIGHUP)
        try Subprocess.waitFor("the reload") { setup.daemon.log.contains("configuration reloaded") }
        try "manager.conection_spec = 1\n".write(
            to: setup.daemon.etc.appendingPathComponent("milter-manager.conf"), atomically: true, encoding: .utf8)
        kill(pid, SIGHUP)
        try Subprocess.waitFor("the failed reload") { setup.daemon.log.contains("keeping the running one") }

        let scrape = try HTTPGet.fetch(port: setup.port, path: "/metrics")
        #expect(scrape.status == 200)
        #expect(scrape.headers.contains("Content-Type: text/plain; version=0.0.4"))
        let samples = PrometheusSamples(scrape.body)
        #expect(samples[#"milter_manager_sessions_total{stage="end-of-message",status="accept"}"#] == 2)
        #expect(samples[#"milter_manager_sessions_total{stage="end-of-message",status="reject"}"#] == 1)
        #expect(samples[#"milter_manager_sessions_total{stage="end-of-message",status="temporary-failure"}"#] == 1)
        #expect(
            samples[#"milter_manager_milter_results_total{milter="alpha",stage="end-of-message",status="reject"}"#] == 1
        )
        #expect(
            samples[
                #"milter_manager_milter_results_total{milter="beta",stage="end-of-message",status="temporary-failure"}"#
            ] == 1)
        // gamma cannot be reached: it leaves every session at negotiation with an error.
        #expect(
            samples.sum(prefix: #"milter_manager_milter_results_total{milter="gamma","#, containing: #"status="error""#)
                == 4)
        #expect(samples[#"milter_manager_stage_duration_seconds_count{stage="connect"}"#] == 4)
        #expect(samples[#"milter_manager_stage_duration_seconds_count{stage="end-of-message"}"#] == 4)
        #expect(samples[#"milter_manager_reloads_total{result="success"}"#] == 1)
        #expect(samples[#"milter_manager_reloads_total{result="failure"}"#] == 1)
        #expect(samples["milter_manager_sessions_in_flight"] == 0)
        // The two accepted messages reached end-of-message through the children; the reject and
        // the tempfail were answered at the Subject header, before any body.
        #expect(samples["milter_manager_spooled_messages_total"] == 2)
        #expect((samples["milter_manager_spooled_body_bytes_total"] ?? 0) > 0)
        // Per child, from the health registry the control socket's status reads.
        #expect(samples[#"milter_manager_milter_reachable{milter="alpha"}"#] == 1)
        #expect(samples[#"milter_manager_milter_reachable{milter="gamma"}"#] == 0)
        #expect((samples[#"milter_manager_milter_last_error_timestamp_seconds{milter="gamma"}"#] ?? 0) > 1_700_000_000)
        #expect(samples[#"milter_manager_milter_last_error_timestamp_seconds{milter="alpha"}"#] == nil)
        #expect(samples[#"milter_manager_milter_started_by_manager{milter="alpha"}"#] == 0)

        let check = try Subprocess.run("/usr/bin/promtool", ["check", "metrics"], input: Data(scrape.body.utf8))
        #expect(check.status == 0, "promtool: \(check.output)")
    }

    @Test func otherPathsMethodsAndGarbageAreRefusedAndTheListenerGoesOn() throws {
        let setup = try Setup()
        defer { setup.tearDown() }
        try setup.writeConfig()
        try setup.start()

        #expect(try HTTPGet.fetch(port: setup.port, path: "/").status == 404)
        #expect(try HTTPGet.fetch(port: setup.port, path: "/metrics", method: "POST").status == 405)
        // A request head far beyond what an HTTP parser takes, and binary garbage: closed.
        for junk in [
            String(repeating: "X-Junk: " + String(repeating: "a", count: 1000) + "\r\n", count: 200),
            String(decoding: (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) }, as: UTF8.self),
        ] {
            _ = try? HTTPGet.send(port: setup.port, raw: "GET /metrics HTTP/1.1\r\n" + junk)
        }
        let scrape = try HTTPGet.fetch(port: setup.port, path: "/metrics?x=1")
        #expect(scrape.status == 200)
        #expect(scrape.body.contains("# TYPE milter_manager_reloads_total counter"))
        #expect(setup.process!.process.isRunning)
    }

    @Test func aUnixSocketForMetricsIsAConfigurationErrorWithItsLine() throws {
        let setup = try Setup()
        defer { setup.tearDown() }
        try setup.daemon.writeConfig(
            milters: ["alpha"], extra: "manager.metrics_connection_spec = \"unix:/tmp/metrics.sock\"")
        let result = try Subprocess.run(
            try TestPaths.product("milter-manager").path, ["--config-dir", setup.daemon.etc.path, "--no-daemon"])
        #expect(result.status == 78)
        #expect(result.output.contains("milter-manager.conf:"))
        #expect(result.output.contains("Prometheus scrapes over TCP"))
    }

    @Test func aPortInUseStopsTheStartWithTheSettingsLine() throws {
        let setup = try Setup()
        defer { setup.tearDown() }
        let busy = try RealMilters.startTestMilter(
            in: setup.daemon.directory, name: "busy", port: setup.port, options: [])
        setup.daemon.children.append(busy)
        try setup.writeConfig()
        let result = try Subprocess.run(
            try TestPaths.product("milter-manager").path, ["--config-dir", setup.daemon.etc.path, "--no-daemon"])
        #expect(result.status == 1)
        #expect(result.output.contains("milter-manager.conf:"))
        #expect(result.output.contains("cannot serve metrics on inet:\(setup.port)@[127.0.0.1]"))
    }
}

/// The samples of a Prometheus text scrape, by series (name and labels as printed).
struct PrometheusSamples {
    var values: [String: Double] = [:]

    init(_ text: String) {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                continue
            }
            values[String(line[..<space])] = value
        }
    }

    subscript(series: String) -> Double? { values[series] }

    /// The sum of the series starting with `prefix` and containing `text`.
    func sum(prefix: String, containing text: String) -> Double {
        values.filter { $0.key.hasPrefix(prefix) && $0.key.contains(text) }.map(\.value).reduce(0, +)
    }
}

/// A minimal HTTP/1.1 client over a loopback TCP socket (one request, `Connection: close`).
enum HTTPGet {
    struct Response {
        var status: Int
        var headers: String
        var body: String
    }

    static func fetch(port: Int, path: String, method: String = "GET") throws -> Response {
        let raw = try send(
            port: port, raw: "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        guard let split = raw.range(of: "\r\n\r\n") else { throw TestSupportError("no HTTP head in \(raw)") }
        let head = String(raw[..<split.lowerBound])
        let statusLine = head.split(separator: "\r\n").first ?? ""
        let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") ?? 0
        return Response(status: status, headers: head, body: String(raw[split.upperBound...]))
    }

    /// Writes `raw`, reads until the server closes (or 10 s pass).
    static func send(port: Int, raw: String) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSupportError("socket() failed") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw TestSupportError("connect to \(port) failed") }
        let bytes = Array(raw.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBufferPointer {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if n <= 0 { break }
            written += n
        }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { break }
            received += chunk[..<n]
        }
        return String(decoding: received, as: UTF8.self)
    }
}
