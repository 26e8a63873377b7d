import Testing

@testable import milter_manager

/// The launcher's lines: every message reads back; anything else (from a daemon that is not
/// ours, or garbage) is no request at all.
@Suite("Launcher messages")
struct LauncherMessageTests {
    static let requests: [LauncherRequest] = [
        .start(id: 1, milter: "clamav-milter"), .start(id: 2, milter: "with \"quotes\"\nand a newline"),
        .reload(id: 3),
    ]

    @Test(arguments: requests)
    func requestsRoundTrip(_ request: LauncherRequest) {
        #expect(!request.line.contains("\n"))
        #expect(LauncherRequest(line: Array(request.line.utf8)) == request)
    }

    static let events: [LauncherEvent] = [
        .ready(pid: 10, problem: nil), .ready(pid: 10, problem: "security.privilege_mode is off"),
        .refused(id: 1, milter: "m", reason: "its command is still running (pid 5)"),
        .running(id: 1, milter: "m", pid: 77, command: "/usr/bin/systemctl start m", user: "root"),
        .ended(id: 1, milter: "m", result: "exited with status 1", succeeded: false, output: "Job failed.\n\u{1B}[0m"),
        .reloaded(id: 2, problem: nil),
    ]

    @Test(arguments: events)
    func eventsRoundTrip(_ event: LauncherEvent) {
        #expect(!event.line.contains("\n"))
        #expect(LauncherEvent(line: Array(event.line.utf8)) == event)
    }

    static let garbage: [String] = [
        "", "start clamav-milter", "{\"op\":\"start\",\"id\":1}", "{\"op\":\"start\",\"id\":1,\"milter\":\"\"}",
        "{\"op\":\"run\",\"id\":1,\"command\":\"/bin/sh -c id\"}", "{\"op\":\"start\",\"milter\":\"m\"}",
        "{\"op\":\"start\",\"id\":1,\"milter\":\"m\",\"command\":\"/bin/sh\"}x",
        "{\"op\":\"start\",\"id\":1,\"milter\":\"" + String(repeating: "m", count: 5000) + "\"}",
    ]

    @Test(arguments: garbage)
    func anythingElseIsNoRequest(_ line: String) {
        #expect(LauncherRequest(line: Array(line.utf8)) == nil)
    }

    @Test func aStartRequestCarriesNoCommand() {
        // Extra members are ignored: a command in the request is never what runs.
        let line = "{\"op\":\"start\",\"id\":1,\"milter\":\"m\",\"command\":\"/bin/sh -c id\",\"user\":\"root\"}"
        #expect(LauncherRequest(line: Array(line.utf8)) == .start(id: 1, milter: "m"))
    }
}
