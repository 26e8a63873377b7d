import Foundation
import MilterTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// issue 9 class 8 with real processes: a child that did not negotiate SMFIF_QUARANTINE cannot
/// quarantine, and text from a child or the MTA with control characters cannot forge log lines.
@Suite("milter-manager with a hostile child", .serialized)
struct DaemonChildTextTests {
    static let forged = "[statistics] [session][end][end-of-message][reject][0](1)"

    /// A child negotiating only SMFIF_ADDHDRS that, at end-of-message, adds a header whose value
    /// carries CR LF and an escape sequence, asks for a quarantine it never negotiated, accepts.
    private func hostileChild(in directory: URL) throws -> FakeMilter {
        let value = Array("ok\r\n\(Self.forged)\u{1B}[2J".utf8)
        return try FakeMilter(path: directory.appendingPathComponent("hostile.sock").path) { code, _ in
            switch code {
            case UInt8(ascii: "O"): return .send(FakeMilter.negotiateReply(actions: 0x01, steps: 0))
            case UInt8(ascii: "E"):
                return .send(
                    FakeMilter.packet("h", Array("X-Hostile".utf8) + [0] + value + [0])
                        + FakeMilter.packet("q", Array("held\n\(Self.forged)".utf8) + [0]) + FakeMilter.packet("a"))
            case UInt8(ascii: "D"), UInt8(ascii: "A"): return .nothing
            case UInt8(ascii: "Q"): return .close
            default: return .send(FakeMilter.packet("c"))
            }
        }
    }

    @Test func aHostileChildCannotQuarantineOrForgeLogLines() throws {
        let bench = try DaemonBench("hostile")
        defer { bench.tearDown() }
        let child = try hostileChild(in: bench.directory)
        defer { child.stop() }
        try bench.writeConfig(children: [("hostile", "unix:" + child.path)])
        let daemon = try bench.startListening(["--verbose"])
        // The MTA's text carries control characters too: a header, a recipient, a HELO name.
        let session = try bench.session(
            ["-r", "<r\r\n\(Self.forged)@example.org>", "--helo-fqdn", "mx\n\(Self.forged)"],
            subject: "hi\r\n\(Self.forged)")
        #expect(session.status == 0, "\(session.output)")
        #expect(session.output.hasPrefix("status: accept"), "\(session.output)")
        #expect(!session.output.contains("Quarantine"))
        #expect(session.output.contains("+ X-Hostile: ok"), "the negotiated header change still goes through")
        kill(daemon.pid, SIGTERM)
        #expect(try bench.waitForExit(daemon) == 0)

        let log = bench.log
        #expect(log.contains("[leader][error][q]") && log.contains("not negotiated (quarantine); dropped: hostile"))
        #expect(!log.contains("[reply][end-of-message][quarantine]"))
        #expect(log.contains("<X-Hostile>=<ok\\r\\n\(Self.forged)\\x1B[2J>: hostile"), "\(log)")
        let stamp = try Regex(#"^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z\]: "#)
        for line in log.split(whereSeparator: \.isNewline) {
            #expect(line.contains(stamp), "a line without its own time stamp: \(line)")
            #expect(!line.contains("]: \(Self.forged)"), "a forged line: \(line)")
            #expect(!line.contains("\u{1B}") && !line.contains("\r"), "a control character in: \(line)")
        }
    }
}
