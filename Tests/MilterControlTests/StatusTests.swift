import Testing

@testable import MilterControl

/// The status object (`status --json`) and its text form.
@Suite("Status")
struct StatusTests {
    static let time = 1_796_400_000.0  // 2026-12-04T16:00:00Z

    static func sample() -> ManagerStatus {
        ManagerStatus(
            version: "1.0.0", pid: 4242, time: time, uptimeSeconds: 3723.5, sessionsInFlight: 2,
            sessionsFinished: 1234,
            configuration: .init(
                files: ["/etc/milter-manager/milter-manager.conf", "/etc/milter-manager/milter-manager.local.conf"],
                loadedAt: time - 600),
            lastReload: .init(at: time - 60, loaded: false, reason: "x.conf:3: unknown key\nkeeping the running one"),
            privilegeMode: true, launcher: .init(pid: 4243, running: true, problem: nil),
            children: [
                ChildStatus(
                    name: "milter-greylist", enabled: true, connectionSpec: "unix:/run/milter-greylist.sock",
                    reachable: true, lastError: nil, lastErrorAt: nil, lastSuccessAt: time - 2,
                    startedByManager: false,
                    start: ChildStartStatus(command: "/usr/bin/systemctl start milter-greylist", unavailable: nil)),
                ChildStatus(
                    name: "clamav\u{1B}[31m", enabled: true, connectionSpec: "inet:3310@[127.0.0.1]", reachable: false,
                    lastError: "Connection refused", lastErrorAt: time - 3, lastSuccessAt: nil, startedByManager: false,
                    start: ChildStartStatus(
                        command: "/bin/false", unavailable: nil, attempts: 2, lastAttemptAt: time - 7,
                        lastResult: "exited with status 1", nextAttemptInSeconds: 3)),
                ChildStatus(
                    name: "spamass", enabled: false, connectionSpec: nil, reachable: nil, lastError: nil,
                    lastErrorAt: nil, lastSuccessAt: nil, startedByManager: false,
                    start: ChildStartStatus(command: "/etc/init.d/spamass start", unavailable: "the milter is disabled")
                ),
            ])
    }

    @Test func jsonHasTheContractFieldsAndReadsBack() throws {
        let status = Self.sample()
        let json = try JSONParser.parse(status.json.text)
        for key in ["version", "uptime_seconds", "sessions_in_flight", "sessions_finished", "children"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        let child = try #require(json["children"]?.arrayValue?.first)
        #expect(child["name"] == .string("milter-greylist"))
        #expect(child["enabled"] == .bool(true))
        #expect(child["reachable"] == .bool(true))
        #expect(child["last_error"] == .null)
        #expect(child["started_by_manager"] == .bool(false))
        #expect(json["children"]?.arrayValue?[1]["last_error"] == .string("Connection refused"))
        #expect(ManagerStatus(json: json) == status)
    }

    @Test func textIsReadableAndEscapesControlCharacters() {
        let text = StatusText.render(Self.sample())
        let expected = """
            milter-manager 1.0.0, pid 4242, up 1h 2m
            configuration: loaded 2026-12-04 15:50:00 UTC (10m 0s ago)
              /etc/milter-manager/milter-manager.conf
              /etc/milter-manager/milter-manager.local.conf
            last reload: 2026-12-04 15:59:00 UTC (1m 0s ago): not loaded: x.conf:3: unknown key; keeping the running one
            sessions: 2 in flight, 1234 finished
            privilege mode: on, launcher pid 4243
            children:
              milter-greylist: enabled, reachable
                socket: unix:/run/milter-greylist.sock
                last success: 2s ago
                start command: /usr/bin/systemctl start milter-greylist
              clamav\\x1B[31m: enabled, unreachable
                socket: inet:3310@[127.0.0.1]
                last error (3s ago): Connection refused
                start command: /bin/false
                  2 attempts, the last 7s ago: exited with status 1
                  next attempt: not before 3s from now (back-off)
              spamass: disabled
                socket: none
                start command: /etc/init.d/spamass start
                  not started by the manager: the milter is disabled

            """
        #expect(text == expected)
    }

    static let durations: [(Double, String)] = [
        (0.44, "0.4s"), (12, "12s"), (307, "5m 7s"), (7380, "2h 3m"), (273_600, "3d 4h"), (.infinity, "?"),
    ]

    @Test(arguments: durations)
    func durationsAreShort(_ seconds: Double, _ text: String) {
        #expect(StatusText.duration(seconds) == text)
    }

    @Test func timesRoundTripInUTC() {
        #expect(UTCTime.iso8601(Self.time) == "2026-12-04T16:00:00Z")
        #expect(UTCTime.parse("2026-12-04T16:00:00Z") == Self.time)
        for bad in ["", "2026-12-04 16:00:00Z", "2026-13-04T16:00:00Z", "2026-12-04T16:00:00+01:00"] {
            #expect(UTCTime.parse(bad) == nil, "\(bad)")
        }
    }
}
