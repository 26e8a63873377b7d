import Foundation
import MilterTestSupport
import Testing

/// milter-test-server against milters nobody here wrote: Sendmail's libmilter (the C test
/// milter) and pymilter.
@Suite("milter-test-server with real milters", .serialized)
struct RealMilterTests {
    private static let testMilterOptions = [
        "--add-header", "X-Test:libmilter", "--reject-subject", "REJECTME", "--tempfail-subject", "LATER",
        "--reject-recipient", "bad",
    ]

    @Test func libmilterAddsAHeaderRejectsAndTempfails() throws {
        let directory = try TestPaths.makeTemporaryDirectory("libmilter")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (milter, socket) = try RealMilters.startTestMilter(in: directory, options: Self.testMilterOptions)
        defer { milter.stop() }

        let accepted = try Tools.server(["-s", "unix:" + socket, "--output-message", "--header", "Subject: hello"])
        #expect(accepted.status == 0)
        #expect(
            accepted.normalized == """
                status: accept
                elapsed-time: X seconds

                Envelope:------------------------------
                  MAIL FROM:<sender@example.com>
                  RCPT TO:<receiver@example.org>
                Header:--------------------------------
                  Subject: hello
                  From: <sender@example.com>
                  To: <receiver@example.org>
                + X-Test: libmilter
                Body:----------------------------------
                La de da de da 1.
                La de da de da 2.
                La de da de da 3.
                La de da de da 4.

                """)
        let rejected = try Tools.server(["-s", socket, "--header", "Subject: please REJECTME"])  // "/..." means unix:
        #expect(rejected.lines.first == "status: reject [550]<5.7.1>(rejected by testmilter)")
        #expect(rejected.status == 0)
        let tempfailed = try Tools.server(["-s", "unix:" + socket, "--header", "Subject: LATER please"])
        #expect(tempfailed.lines.first == "status: temporary-failure [451]<4.7.1>(try again later, says testmilter)")
    }

    @Test func refusedRecipientKeepsTheSessionGoing() throws {
        let directory = try TestPaths.makeTemporaryDirectory("rcpt")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (milter, socket) = try RealMilters.startTestMilter(in: directory, options: Self.testMilterOptions)
        defer { milter.stop() }

        let run = try Tools.server([
            "-s", "unix:" + socket, "-r", "good@example.org", "-r", "bad@example.org", "-r", "other@example.org",
            "--output-message",
        ])
        #expect(run.lines.first == "status: accept")
        #expect(
            run.output.contains(
                "  RCPT TO:<good@example.org>\n- RCPT TO:<bad@example.org>\n  RCPT TO:<other@example.org>\n"))
        #expect(run.output.contains("+ X-Test: libmilter\n"))

        let allRefused = try Tools.server(["-s", "unix:" + socket, "-r", "bad1@example.org", "-r", "bad2@example.org"])
        #expect(allRefused.lines.first == "status: reject [550]<5.1.1>(recipient rejected by testmilter)")
    }

    /// The original milter-test-server looped forever when a milter asked for two or more macros
    /// at one stage; testmilter --symlist asks for `{client_addr} j` at connect.
    @Test func macroRequestsWithSeveralSymbolsDoNotHang() throws {
        let directory = try TestPaths.makeTemporaryDirectory("symlist")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (milter, socket) = try RealMilters.startTestMilter(in: directory, options: ["--symlist"])
        defer { milter.stop() }
        let run = try Tools.server(["-s", "unix:" + socket, "--timeout", "20", "--verbose"])
        #expect(run.status == 0)
        #expect(run.output.contains("status: accept"))
        #expect(run.output.contains("send: D(C) C"))
    }

    @Test func loadModeAgainstLibmilterOnUnixSocketAndTCP() throws {
        let directory = try TestPaths.makeTemporaryDirectory("load")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (milter, socket) = try RealMilters.startTestMilter(in: directory, options: ["--add-header", "X-Load:1"])
        defer { milter.stop() }
        let port = try Ports.free()
        let tcpMilter = try RealMilters.startTestMilter(in: directory, name: "tcp", port: port, options: [])
        defer { tcpMilter.stop() }

        for spec in ["unix:" + socket, "inet:\(port)@127.0.0.1"] {
            let run = try Tools.server([
                "-s", spec, "--n-sessions", "200", "--concurrency", "10", "--expected-status", "accept", "--timeout",
                "30",
            ])
            #expect(run.status == 0, "\(spec): \(run.output)")
            #expect(run.lines.contains("sessions: 200"))
            #expect(run.lines.contains("failures: 0"))
            #expect(run.lines.contains("statuses: accept=200"))
        }
    }

    @Test func pymilterWithEveryModification() throws {
        let directory = try TestPaths.makeTemporaryDirectory("pymilter")
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try Ports.free()
        let milter = try RealMilters.startPymilter("pymilter_allmods.py", spec: "inet:\(port)@127.0.0.1", in: directory)
        defer { milter.stop(grace: 10) }
        try Subprocess.waitFor("pymilter on port \(port)") { Ports.isListening(port) || !milter.process.isRunning }

        let spec = "inet:\(port)@127.0.0.1"
        let run = try Tools.server(["-s", spec, "--output-message", "--header", "Subject:allmods normal"])
        #expect(run.status == 0)
        #expect(
            run.normalized == """
                status: accept
                elapsed-time: X seconds

                Envelope:------------------------------
                - MAIL FROM:<sender@example.com>
                + MAIL FROM:<bounces@test.example>
                - RCPT TO:<receiver@example.org>
                + RCPT TO:<added@test.example>
                Header:--------------------------------
                - Subject: allmods normal
                + Subject: [allmods] allmods normal
                + X-AllMods-Inserted: at-index-1
                  From: <sender@example.com>
                  To: <receiver@example.org>
                + X-AllMods-Added: appended
                Body:----------------------------------
                body replaced by allmods


                """)
        let quarantined = try Tools.server(["-s", spec, "--header", "Subject:allmods QUARANTINE"])
        #expect(
            quarantined.normalized == """
                status: quarantine
                elapsed-time: X seconds
                Quarantine reason: <allmods quarantine test>

                """)
    }
}
