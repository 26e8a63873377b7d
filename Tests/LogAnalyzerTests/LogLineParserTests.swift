import LogAnalyzer
import Testing

/// One log line and what the line parser makes of it.
struct LogLineCase: Sendable, CustomTestStringConvertible {
    var line: [UInt8]
    var expected: Expected

    enum Expected: Sendable, Equatable {
        case statistics(LineTime, String)
        case other(LineTime)
        case unrecognized
    }

    var testDescription: String { String(decoding: line.prefix(70), as: UTF8.self) }

    init(_ line: String, _ expected: Expected) {
        self.line = Array(line.utf8)
        self.expected = expected
    }

    init(bytes: [UInt8], _ expected: Expected) {
        self.line = bytes
        self.expected = expected
    }
}

private func local(_ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int) -> LineTime {
    .local(LocalStamp(month: month, day: day, hour: hour, minute: minute, second: second))
}

@Suite struct LogLineParserTests {
    static let cases: [LogLineCase] = [
        // runtime.md §5.2's composed syslog examples (the original's traditional format).
        LogLineCase(
            "Jan 21 10:11:12 mail milter-manager[4242]: [statistics] [session][end][end-of-message][pass][1.23](12)",
            .statistics(local(1, 21, 10, 11, 12), "[session][end][end-of-message][pass][1.23](12)")),
        LogLineCase(
            "Mar 28 15:16:58 mail milter-manager[19026]: [statistics] [maintain][memory] (28048KB) total:6979",
            .statistics(local(3, 28, 15, 16, 58), "[maintain][memory] (28048KB) total:6979")),
        // A space-padded day, a fully qualified host, no pid.
        LogLineCase(
            "Jul  5 00:00:15 mail.example.org milter-manager: [statistics] [session][start](1)",
            .statistics(local(7, 5, 0, 0, 15), "[session][start](1)")),
        // Solaris' message id before the text.
        LogLineCase(
            "Jan 21 10:11:12 mail milter-manager[42]: [ID 702911 mail.notice] [statistics] [sessions][finished] 1(+1) 0",
            .statistics(local(1, 21, 10, 11, 12), "[sessions][finished] 1(+1) 0")),
        // Debian 12's rsyslog (RFC 3339 with microseconds) and journalctl -o short-iso (+0100).
        LogLineCase(
            "2024-01-21T10:11:12.123456+01:00 mail milter-manager[4242]: [statistics] [session][disconnected][7.5](15)",
            .statistics(.absolute(1_705_828_272), "[session][disconnected][7.5](15)")),
        LogLineCase(
            "2024-01-21T10:11:12+0100 mail milter-manager[4242]: [statistics] [session][disconnected][7.5](15)",
            .statistics(.absolute(1_705_828_272), "[session][disconnected][7.5](15)")),
        LogLineCase(
            "2024-01-21T09:11:12Z mail milter-manager[4242]: [statistics] [session][disconnected][7.5](15)",
            .statistics(.absolute(1_705_828_272), "[session][disconnected][7.5](15)")),
        // The daemon's own log file (log.path).
        LogLineCase(
            "[2024-01-21T09:11:12.123456Z]: [statistics] [sessions][finished] 3(+1) 0",
            .statistics(.absolute(1_705_828_272), "[sessions][finished] 3(+1) 0")),
        LogLineCase("[2024-01-21T09:11:12.123456Z]: [manager][start] listening", .other(.absolute(1_705_828_272))),
        // Other programs, other milter-manager lines: only their time counts.
        LogLineCase(
            "Jul 15 00:00:44 mail postfix/anvil[78653]: statistics: max cache size 3 at Jul 14 23:54:07",
            .other(local(7, 15, 0, 0, 44))),
        LogLineCase(
            "Jan 21 10:11:12 mail milter-manager[4242]: [manager][reload] done", .other(local(1, 21, 10, 11, 12))),
        LogLineCase(
            "Jan 21 10:11:12 mail milter-manager-process-launcher[1]: [statistics] [session][end][x][pass][1](1)",
            .other(local(1, 21, 10, 11, 12))),
        LogLineCase(
            "Jan 21 10:11:12 mail evil[x]: [statistics] [session][end][x][pass][1](1)", .other(local(1, 21, 10, 11, 12))
        ),
        // Garbage times.
        LogLineCase("Foo 21 10:11:12 mail milter-manager[1]: [statistics] x", .unrecognized),
        LogLineCase("Jan 32 10:11:12 mail milter-manager[1]: [statistics] x", .unrecognized),
        LogLineCase("Jan 21 24:11:12 mail milter-manager[1]: [statistics] x", .unrecognized),
        LogLineCase("Jan 21 10:61:12 mail milter-manager[1]: [statistics] x", .unrecognized),
        LogLineCase("Jan 21 10:11 mail milter-manager[1]: [statistics] x", .unrecognized),
        LogLineCase("2023-02-29T10:11:12Z mail milter-manager[1]: [statistics] x", .unrecognized),
        LogLineCase("2024-13-01T10:11:12Z mail milter-manager[1]: [statistics] x", .unrecognized),
        LogLineCase("2024-01-21T10:11:12+25:00 mail milter-manager[1]: [statistics] x", .unrecognized),
        LogLineCase("0000-01-21T10:11:12Z mail milter-manager[1]: [statistics] x", .unrecognized),
        LogLineCase("[2024-01-21T09:11:12Z] [statistics] x", .unrecognized),
        LogLineCase("", .unrecognized),
        LogLineCase("\tcontinued header value", .unrecognized),
        LogLineCase(bytes: [0xff, 0xfe, 0x00, 0x41, 0x0d], .unrecognized),
        // Binary after a good prefix: the statistics text keeps its bytes.
        LogLineCase(
            bytes: Array("Jan 21 10:11:12 mail milter-manager[1]: [statistics] ".utf8) + [0x00, 0xff],
            .statistics(local(1, 21, 10, 11, 12), "\u{0}\u{FFFD}")),
    ]

    @Test(arguments: cases)
    func parses(_ example: LogLineCase) {
        let got: LogLineCase.Expected
        switch LogLineParser.parse(example.line[...]) {
        case .statistics(let time, let payload): got = .statistics(time, String(decoding: payload, as: UTF8.self))
        case .other(let time): got = .other(time)
        case .unrecognized: got = .unrecognized
        }
        #expect(got == example.expected)
    }
}
