import Foundation
import MilterTestSupport
import Testing

/// Milters that break the protocol: each gives `status: error`, then `error: <reason>`, and exit
/// status 1, within `--timeout`. (Only output and exit status are checked, never wall-clock time.)
@Suite("milter-test-server with broken milters", .serialized)
struct BadPeerTests {
    private static let negotiate = UInt8(ascii: "O")

    /// Runs milter-test-server against a fake milter answering with `respond`; the session
    /// timeout is long unless it is what a test checks (a loaded machine may be slow).
    private func run(
        _ extra: [String] = [], timeout: Int = 30, respond: @escaping @Sendable (UInt8, [UInt8]) -> FakeMilter.Response
    ) throws -> Tools.Run {
        let directory = try TestPaths.makeTemporaryDirectory("bad")
        defer { try? FileManager.default.removeItem(at: directory) }
        let milter = try FakeMilter(path: directory.appendingPathComponent("fake.sock").path, respond: respond)
        defer { milter.stop() }
        return try Tools.server(["-s", "unix:" + milter.path, "--timeout", String(timeout)] + extra)
    }

    private func expectError(_ run: Tools.Run, _ reason: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run.status == 1, sourceLocation: sourceLocation)
        #expect(run.lines.first == "status: error", sourceLocation: sourceLocation)
        #expect(
            run.lines.count > 2 && run.lines[1] == "error: " + reason, "\(run.output)", sourceLocation: sourceLocation)
        #expect(run.lines.count > 2 && run.lines[2].hasPrefix("elapsed-time: "), sourceLocation: sourceLocation)
    }

    @Test func milterClosesMidSession() throws {
        let output = try run { code, _ in
            code == Self.negotiate ? .send(FakeMilter.negotiateReply()) : .close
        }
        expectError(output, "connection closed by the milter while waiting for the reply to connect")
    }

    @Test func milterClosesInsideAReply() throws {
        let output = try run { _, _ in .sendAndClose(Array(FakeMilter.negotiateReply().prefix(9))) }
        expectError(output, "malformed reply to negotiate: packet 'O' at offset 9: stream ended, 8 more byte(s) needed")
    }

    @Test func milterStopsInsideAReply() throws {
        let output = try run(timeout: 2) { code, _ in
            code == Self.negotiate ? .send(Array(FakeMilter.negotiateReply().prefix(9))) : .nothing
        }
        expectError(output, "session timeout: not finished within 2 seconds")
    }

    @Test(arguments: [
        (
            [0, 0, 0, 0] as [UInt8],
            "malformed reply to connect: packet at offset 0: length 0 (a packet needs at least its code)"
        ),
        (FakeMilter.packet("Z"), "malformed reply to connect: packet 'Z' at offset 0: unknown code"),
        (
            FakeMilter.packet("c", [1]),
            "malformed reply to connect: packet 'c' at offset 1: 1 unexpected trailing byte(s)"
        ),
        (
            FakeMilter.packet("y", Array("250 ok\0".utf8)),
            "malformed reply to connect: packet 'y' at offset 1: SMTP reply code <250> should be 4XX or 5XX"
        ),
        (FakeMilter.packet("h", Array("X\0y\0".utf8)), "unexpected reply 'h' (add-header) to connect"),
    ])
    func malformedOrMisplacedReply(_ bytes: [UInt8], _ reason: String) throws {
        let output = try run { code, _ in
            code == Self.negotiate ? .send(FakeMilter.negotiateReply()) : .send(bytes)
        }
        expectError(output, reason)
    }

    @Test func malformedNegotiationReply() throws {
        let output = try run { _, _ in .send(FakeMilter.packet("O", [0, 0, 0, 6])) }
        expectError(output, "malformed reply to negotiate: packet 'O' at offset 5: truncated in action flags")
    }

    @Test func milterNeverAnswers() throws {
        let silent = try run(timeout: 2) { _, _ in .nothing }
        expectError(silent, "session timeout: not finished within 2 seconds")
        let slow = try run(["--reading-timeout", "1"], timeout: 60) { code, _ in
            code == Self.negotiate ? .send(FakeMilter.negotiateReply()) : .nothing
        }
        expectError(slow, "reading timeout: no reply to connect within 1 seconds")
        let noEndOfMessage = try run(["--end-of-message-timeout", "1"], timeout: 60) { code, _ in
            switch code {
            case Self.negotiate: return .send(FakeMilter.negotiateReply())
            case UInt8(ascii: "D"), UInt8(ascii: "E"): return .nothing
            default: return .send(FakeMilter.packet("c"))
            }
        }
        expectError(noEndOfMessage, "end-of-message timeout: no final reply within 1 seconds")
    }

    @Test func nothingListening() throws {
        let directory = try TestPaths.makeTemporaryDirectory("refused")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("none.sock").path
        let unix = try Tools.server(["-s", "unix:" + path])
        #expect(unix.status == 1)
        #expect(
            unix.lines.prefix(2) == [
                "status: error", "error: Failed to connect to unix:\(path): No such file or directory",
            ])
        let port = try Ports.free()
        let tcp = try Tools.server(["-s", "inet:\(port)@127.0.0.1"])
        #expect(tcp.status == 1)
        #expect(
            tcp.lines.prefix(2) == [
                "status: error", "error: Failed to connect to inet:\(port)@127.0.0.1: Connection refused",
            ])
        let load = try Tools.server(["-s", "inet:\(port)@127.0.0.1", "--n-sessions", "3"])
        #expect(load.status == 1)
        #expect(load.lines.contains("failures: 3"))
        #expect(load.lines.contains { $0.hasPrefix("error: connect failed x3 (first: Failed to connect to") })
    }

    @Test func connectionFailureAndShutdownRepliesAreVerdicts() throws {
        let failing = try run { code, _ in
            code == Self.negotiate ? .send(FakeMilter.negotiateReply()) : .send(FakeMilter.packet("f"))
        }
        #expect(failing.status == 0)
        #expect(failing.lines.first == "status: error")
        #expect(failing.lines.count > 1 && failing.lines[1].hasPrefix("elapsed-time: "))
        let shutdown = try run { code, _ in
            code == Self.negotiate ? .send(FakeMilter.negotiateReply()) : .send(FakeMilter.packet("4"))
        }
        #expect(shutdown.status == 0)
        #expect(shutdown.lines.first == "status: abort")
    }
}
