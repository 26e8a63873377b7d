import Testing

@testable import MilterControl

/// Request and reply lines of the control socket.
@Suite("Control protocol lines")
struct ControlProtocolTests {
    @Test(arguments: ControlCommand.allCases)
    func everyCommandRoundTrips(_ command: ControlCommand) throws {
        let line = ControlRequest(command).line
        #expect(try ControlRequest(line: Array(line.utf8)).command == command)
    }

    /// (line, malformed?) — malformed lines close the connection, unknown commands do not.
    static let refused: [(String, Bool)] = [
        ("status", true),
        ("{}", true),
        ("{\"command\":1}", true),
        ("[\"status\"]", true),
        ("{\"command\":\"stop\"}", false),
        ("{\"command\":\"STATUS\"}", false),
        ("{\"command\":\"\\u001b[2J\"}", false),
    ]

    @Test(arguments: refused)
    func badRequestsSayWhy(_ line: String, _ malformed: Bool) {
        do {
            _ = try ControlRequest(line: Array(line.utf8))
            Issue.record("accepted \(line)")
        } catch {
            switch error {
            case .malformed: #expect(malformed)
            case .unknownCommand(let text):
                #expect(!malformed)
                #expect(text.contains("known: status, children, reload, reopen-logs"))
                #expect(!text.contains("\u{1B}"), "a control character from the client is escaped")
            }
        }
    }

    @Test func repliesRoundTrip() throws {
        let success = ControlReply.success(.object([("loaded", .bool(true))]))
        #expect(try ControlReply(line: Array(success.line.utf8)) == success)
        let failure = ControlReply.failure("file:3: unknown key\nkeeping the running configuration")
        #expect(!failure.line.contains("\n"))
        #expect(try ControlReply(line: Array(failure.line.utf8)) == failure)
        #expect(throws: JSONParseError.self) { try ControlReply(line: Array("{\"result\":{}}".utf8)) }
    }
}
