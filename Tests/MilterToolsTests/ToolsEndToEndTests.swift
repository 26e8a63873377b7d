import Foundation
import MilterTestSupport
import Testing

@testable import milter_test_client

/// milter-test-server against milter-test-client, both as built binaries.
@Suite("milter-test-server with milter-test-client", .serialized)
struct ToolsEndToEndTests {
    @Test func everyStageIsPrintedAndTheSessionPasses() throws {
        let directory = try TestPaths.makeTemporaryDirectory("tools")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (client, spec) = try Tools.startClient([], in: directory)
        defer { client.stop() }

        let run = try Tools.server([
            "-s", spec, "--unknown", "HELP", "--output-message", "--body", "chunk one\n", "--body", "chunk two",
        ])
        #expect(run.status == 0)
        #expect(
            run.normalized == """
                status: pass
                elapsed-time: X seconds

                Envelope:------------------------------
                  MAIL FROM:<sender@example.com>
                  RCPT TO:<receiver@example.org>
                Header:--------------------------------
                  From: <sender@example.com>
                  To: <receiver@example.org>
                Body:----------------------------------
                chunk one
                chunk two

                """)
        let events = Tools.normalize(try Tools.clientOutput(client))
        let offered =
            "negotiate: version=<6>, action=<add-headers|change-body|add-envelope-recipient|"
            + "delete-envelope-recipient|change-headers|quarantine|change-envelope-from|"
            + "add-envelope-recipient-with-parameters|set-symbol-list>, step=<no-connect|no-helo|no-envelope-from|"
            + "no-envelope-recipient|no-body|no-headers|no-end-of-header|no-reply-header|no-unknown|no-data|skip|"
            + "envelope-recipient-rejected|no-reply-connect|no-reply-helo|no-reply-envelope-from|"
            + "no-reply-envelope-recipient|no-reply-data|no-reply-unknown|no-reply-end-of-header|no-reply-body|"
            + "header-value-with-leading-space>"
        #expect(
            events == """
                \(offered)
                connect: host=<mx.example.net>, address=<inet:50443@[192.168.123.123]>
                macros:
                  daemon_name=milter-test-server
                  if_addr=127.0.0.1
                  if_name=localhost
                  j=mail.example.com
                helo: <delian>
                macros:
                  cert_issuer=cert_issuer
                  cert_subject=cert_subject
                  cipher=0
                  cipher_bits=0
                  tls_version=0
                envelope-from: <<sender@example.com>>
                macros:
                  mail_addr=sender@example.com
                  mail_host=mail_host
                  mail_mailer=mail_mailer
                envelope-recipient: <<receiver@example.org>>
                macros:
                  rcpt_addr=receiver@example.org
                  rcpt_host=rcpt_host
                  rcpt_mailer=rcpt_mailer
                unknown: <HELP>
                data
                macros:
                  i=QUEUEID
                header: <From: <sender@example.com>>
                header: <To: <receiver@example.org>>
                end-of-header
                macros:
                  i=QUEUEID
                body: <chunk one
                >
                body: <chunk two>
                end-of-message
                macros:
                  i=QUEUEID
                finished

                """)
    }

    @Test(arguments: ClientStage.allCases)
    func rejectAndTempfailAtEachStage(_ stage: ClientStage) throws {
        let directory = try TestPaths.makeTemporaryDirectory("stage")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (rejecting, rejectSpec) = try Tools.startClient(["--reject-on", stage.rawValue], in: directory, name: "r")
        defer { rejecting.stop() }
        let (tempfailing, tempfailSpec) = try Tools.startClient(
            ["--tempfail-on", stage.rawValue], in: directory, name: "t")
        defer { tempfailing.stop() }

        let rejected = try Tools.server(["-s", rejectSpec, "--unknown", "HELP"])
        #expect(rejected.lines.first == "status: reject")
        #expect(rejected.status == 0)
        let tempfailed = try Tools.server(["-s", tempfailSpec, "--unknown", "HELP"])
        #expect(tempfailed.lines.first == "status: temporary-failure")
        #expect(tempfailed.status == 0)
        // The refusal ends the session: the client saw the stage, then abort, then finished.
        let events = try Tools.clientOutput(rejecting)
        #expect(events.hasSuffix("abort\nfinished\n"))
    }

    @Test func addedHeaderQuarantineAndReplyCodeAreReported() throws {
        let directory = try TestPaths.makeTemporaryDirectory("addhdr")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (client, spec) = try Tools.startClient(
            ["--add-header", "X-Client: yes", "--add-header", "X-Second:2", "--quarantine", "held for review"],
            in: directory)
        defer { client.stop() }
        let run = try Tools.server(["-s", spec, "--output-message", "--header", "Subject:hello"])
        #expect(run.status == 0)
        #expect(
            run.normalized == """
                status: quarantine
                elapsed-time: X seconds
                Quarantine reason: <held for review>

                Envelope:------------------------------
                  MAIL FROM:<sender@example.com>
                  RCPT TO:<receiver@example.org>
                Header:--------------------------------
                  Subject: hello
                  From: <sender@example.com>
                  To: <receiver@example.org>
                + X-Client: yes
                + X-Second: 2
                Body:----------------------------------
                La de da de da 1.
                La de da de da 2.
                La de da de da 3.
                La de da de da 4.

                """)

        let (coded, codedSpec) = try Tools.startClient(
            ["--reject-on", "end-of-message", "--reply-code", "554 5.7.1 1% 2%% 3%%%"], in: directory, name: "coded")
        defer { coded.stop() }
        let rejected = try Tools.server(["-s", codedSpec])
        #expect(rejected.lines.first == "status: reject [554]<5.7.1>(1% 2%% 3%%%)")
    }

    @Test func bareColorOptionAndClientLogFile() throws {
        let directory = try TestPaths.makeTemporaryDirectory("color")
        defer { try? FileManager.default.removeItem(at: directory) }
        let logPath = directory.appendingPathComponent("verbose.log").path
        let (client, spec) = try Tools.startClient(
            ["--add-header", "X-C:1", "--no-report-request", "--verbose", "--log-path", logPath], in: directory)
        defer { client.stop() }
        let run = try Tools.server(["-s", spec, "--output-message", "--color"])
        #expect(run.output.contains("\u{1B}[01;32m+ X-C: 1\u{1B}[00m\n"))
        #expect(try Tools.server(["-s", spec, "--output-message", "--color=no"]).output.contains("\n+ X-C: 1\n"))
        client.stop()
        #expect(!client.log.contains("negotiate:"))
        let verbose = try String(contentsOfFile: logPath, encoding: .utf8)
        #expect(verbose.contains("milter-test-client: listening on \(spec)"))
        #expect(verbose.contains("milter-test-client: reply: h"))
    }

    @Test func expectedStatusDecidesTheExitStatus() throws {
        let directory = try TestPaths.makeTemporaryDirectory("expect")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (client, spec) = try Tools.startClient(["--reject-on", "envelope-from", "--quiet"], in: directory)
        defer { client.stop() }
        #expect(try Tools.server(["-s", spec, "--expected-status", "reject"]).status == 0)
        let mismatch = try Tools.server(["-s", spec, "--expected-status", "pass,accept"])
        #expect(mismatch.status == 1)
        #expect(mismatch.lines.first == "status: reject")
        let quiet = try Tools.server(["-s", spec, "--quiet"])
        #expect(quiet.status == 0 && quiet.output.isEmpty)
    }

    @Test func threadsRunIndependentSessionsAndLoadModeSummarizes() throws {
        let directory = try TestPaths.makeTemporaryDirectory("threads")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (client, spec) = try Tools.startClient(["--quiet"], in: directory)
        defer { client.stop() }
        let threads = try Tools.server(["-s", spec, "-t", "3"])
        #expect(threads.status == 0)
        #expect(threads.lines.filter { $0 == "status: pass" }.count == 3)
        let load = try Tools.server([
            "-s", spec, "--n-sessions", "50", "--concurrency", "5", "--messages-per-session", "2",
        ])
        #expect(load.status == 0)
        for line in ["sessions: 50", "failures: 0", "statuses: pass=50"] { #expect(load.lines.contains(line)) }
        for prefix in ["throughput: ", "p50: ", "p99: ", "cpu-time: ", "cpu-per-session: "] {
            #expect(load.lines.contains { $0.hasPrefix(prefix) }, "missing \(prefix)")
        }
    }

    /// `--then-connection-spec`: each load session goes on to the next milter (as an MTA with
    /// `smtpd_milters = A, B`); the second milter's answer is the session's, and a second milter
    /// that cannot be reached fails every session.
    @Test func loadModeChainsMilters() throws {
        let directory = try TestPaths.makeTemporaryDirectory("chain")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (first, firstSpec) = try Tools.startClient(["--quiet"], in: directory, name: "first")
        defer { first.stop() }
        let (second, secondSpec) = try Tools.startClient(
            ["--quiet", "--reject-on", "envelope-from"], in: directory, name: "second")
        defer { second.stop() }
        let chained = try Tools.server([
            "-s", firstSpec, "--then-connection-spec", secondSpec, "--n-sessions", "20", "--concurrency", "4",
        ])
        #expect(chained.status == 0)
        for line in ["sessions: 20", "failures: 0", "statuses: reject=20"] { #expect(chained.lines.contains(line)) }
        let missing = "unix:" + directory.appendingPathComponent("missing.sock").path
        let broken = try Tools.server([
            "-s", firstSpec, "--then-connection-spec", missing, "--n-sessions", "5",
        ])
        #expect(broken.status == 1)
        #expect(broken.lines.contains("failures: 5"))
        let alone = try Tools.server(["-s", firstSpec, "--then-connection-spec", secondSpec])
        #expect(alone.status == 64)
    }

    @Test func clientOnTCPStopsCleanlyOnSIGTERM() throws {
        let directory = try TestPaths.makeTemporaryDirectory("tcp")
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try Ports.free()
        let pidFile = directory.appendingPathComponent("client.pid").path
        let client = try Subprocess(
            try TestPaths.product("milter-test-client").path,
            ["-s", "inet:\(port)@127.0.0.1", "--pid-file", pidFile, "--verbose"],
            log: directory.appendingPathComponent("client.log"))
        try Subprocess.waitFor("milter-test-client on port \(port)") { Ports.isListening(port) }
        let run = try Tools.server(["-s", "inet:\(port)@127.0.0.1"])
        #expect(run.lines.first == "status: pass")
        #expect(FileManager.default.fileExists(atPath: pidFile))
        client.stop(grace: 5)
        #expect(client.process.terminationStatus == 0)
        #expect(!FileManager.default.fileExists(atPath: pidFile))
    }

    @Test func unixSocketIsReplacedCreatedWithModeAndRemoved() throws {
        let directory = try TestPaths.makeTemporaryDirectory("sock")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("client.sock").path
        // A stale socket file from a crashed run.
        let stale = try Tools.startClient([], in: directory)
        stale.process.kill9()
        #expect(FileManager.default.fileExists(atPath: path))
        let (client, _) = try Tools.startClient(["--unix-socket-mode", "0666"], in: directory)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o666)
        client.stop(grace: 5)
        #expect(client.process.terminationStatus == 0)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func clientThatCannotListenExitsOneNamingTheSpec() throws {
        let result = try Subprocess.run(
            try TestPaths.product("milter-test-client").path, ["-s", "unix:/nonexistent-directory/x.sock"])
        #expect(result.status == 1)
        #expect(result.output.contains("unix:/nonexistent-directory/x.sock"))
        #expect(result.output.contains("No such file or directory"))
    }

    @Test(arguments: [
        ["--header", "no-colon"], ["-s", "unix:/tmp/x", "--header", "no-colon"], ["-s", "bogus"],
        ["-s", "unix:/tmp/x", "--negotiate-version", "9"], ["-s", "unix:/tmp/x", "--concurrency", "2"],
        ["-s", "unix:/tmp/x", "--expected-status", "maybe"], ["-s", "unix:/tmp/x", "--color=sometimes"],
        ["-s", "unix:/tmp/x", "--mail-file", "/nonexistent/mail"],
    ])
    func badUsageExits64(_ arguments: [String]) throws {
        let run = try Tools.server(arguments)
        #expect(run.status == 64, "\(arguments): \(run.output)")
    }

    @Test func versions() throws {
        #expect(try Tools.server(["--version"]).output == "milter-test-server 1.0.0\n")
        let client = try Subprocess.run(try TestPaths.product("milter-test-client").path, ["--version"])
        #expect(client.output == "milter-test-client 1.0.0\n")
    }

    @Test func mailFileFromStandardInputSetsTheEnvelope() throws {
        let directory = try TestPaths.makeTemporaryDirectory("mailfile")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (client, spec) = try Tools.startClient([], in: directory)
        defer { client.stop() }
        let mail = "From: Alice <alice@example.com>\r\nTo: bob@example.net\r\nSubject: hi\r\n\r\nline 1\r\nline 2\r\n"
        let run = try Tools.server(["-s", spec, "-m", "-", "--output-message"], input: Data(mail.utf8))
        #expect(run.status == 0)
        #expect(run.output.contains("  MAIL FROM:<alice@example.com>\n  RCPT TO:<bob@example.net>\n"))
        let events = try Tools.clientOutput(client)
        #expect(events.contains("header: <Subject: hi>\n"))
        #expect(events.contains("body: <line 1\r\nline 2\r\n>\n"))
    }
}
