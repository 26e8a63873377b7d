import LogAnalyzer
import Testing

/// One statistics text (after `[statistics] `) and what the parser makes of it.
struct StatisticsCase: Sendable, CustomTestStringConvertible {
    var text: String
    var expected: Expected

    enum Expected: Sendable {
        case event(StatisticsEvent)
        case notGraphed
        case error(StatisticsLineError)
    }

    var testDescription: String { text.count > 70 ? String(text.prefix(70)) + "..." : text }

    init(_ text: String, _ expected: Expected) {
        self.text = text
        self.expected = expected
    }
}

private func ending(_ state: String, _ status: StatusWord, _ elapsed: Double, _ tag: UInt64) -> StatisticsEvent.Ending {
    StatisticsEvent.Ending(lastState: state, status: status, elapsed: elapsed, tag: tag)
}

private func milter(_ name: String) -> MilterName { MilterName(name)! }

@Suite struct StatisticsLineParserTests {
    /// Lines as our daemon writes them (the format strings of SessionCoordinator, SessionDriver).
    static let ours: [StatisticsCase] = [
        StatisticsCase(
            "[session][end][end-of-message][accept][0.00312](3)",
            .event(.sessionEnd(ending("end-of-message", .accept, 0.00312, 3)))),
        StatisticsCase(
            "[session][end][end-of-message][temporary-failure][1.5e-05](7)",
            .event(.sessionEnd(ending("end-of-message", .temporaryFailure, 1.5e-05, 7)))),
        StatisticsCase(
            "[milter][end][end-of-message][reject][0.000512](4): spamcheck",
            .event(.milterEnd(ending("end-of-message", .reject, 0.000512, 4), milter: milter("spamcheck")))),
        StatisticsCase(
            "[milter][end][negotiate][error][0](9): broken",
            .event(.milterEnd(ending("negotiate", .error, 0, 9), milter: milter("broken")))),
        StatisticsCase(
            "[session][header][add](3): <X-Spam-Flag>=<YES>",
            .event(.sessionHeaderAdded(.init(tag: 3, name: "X-Spam-Flag", value: "YES")))),
        StatisticsCase(
            "[milter][header][add](4): <X-Spam-Flag>=<YES>: spamcheck",
            .event(.milterHeaderAdded(.init(tag: 4, name: "X-Spam-Flag", value: "YES"), milter: milter("spamcheck")))),
        StatisticsCase(
            "[sessions][finished] 12(+1) 0", .event(.sessionsFinished(processed: 12, finished: 1, inProgress: 0))),
        StatisticsCase("[reply][end-of-message][quarantine](3)", .event(.quarantine(tag: 3))),
    ]

    /// runtime.md §5.2's examples, as the original daemon prints them, and lines of its 2009
    /// version (`[session][start]`, which is not graphed).
    static let original: [StatisticsCase] = [
        StatisticsCase(
            "[milter][header][add](13): <X-Greylist>=<Delayed for 00:05:00 by milter-greylist-4.2.7>: milter-greylist",
            .event(
                .milterHeaderAdded(
                    .init(tag: 13, name: "X-Greylist", value: "Delayed for 00:05:00 by milter-greylist-4.2.7"),
                    milter: milter("milter-greylist")))),
        StatisticsCase(
            "[session][header][add](12): <X-Greylist>=<Delayed for 00:05:00 by milter-greylist-4.2.7>",
            .event(
                .sessionHeaderAdded(
                    .init(tag: 12, name: "X-Greylist", value: "Delayed for 00:05:00 by milter-greylist-4.2.7")))),
        StatisticsCase(
            "[milter][end][end-of-message][pass][0.0212](13): milter-greylist",
            .event(.milterEnd(ending("end-of-message", .pass, 0.0212, 13), milter: milter("milter-greylist")))),
        StatisticsCase(
            "[milter][end][envelope-recipient][reject][0.00341](14): clamav-milter",
            .event(.milterEnd(ending("envelope-recipient", .reject, 0.00341, 14), milter: milter("clamav-milter")))),
        StatisticsCase(
            "[session][end][end-of-message][pass][1.23](12)",
            .event(.sessionEnd(ending("end-of-message", .pass, 1.23, 12)))
        ),
        StatisticsCase(
            "[sessions][finished] 1234(+1) 3", .event(.sessionsFinished(processed: 1234, finished: 1, inProgress: 3))),
        StatisticsCase("[session][disconnected][7.5](15)", .event(.sessionDisconnected(elapsed: 7.5, tag: 15))),
        StatisticsCase("[maintain][memory] (28048KB) total:6979 Proc:44 GLib::Object:18", .notGraphed),
        StatisticsCase("[session][start](115830)", .notGraphed),
        StatisticsCase("[milter][start](115831): milter-enma", .notGraphed),
        StatisticsCase(
            "[milter][end][connect][stop][0.00118282](115836): milter-greylist",
            .event(.milterEnd(ending("connect", .stop, 0.00118282, 115836), milter: milter("milter-greylist")))),
        // A value holding ">: " itself: the milter name is found from the end.
        StatisticsCase(
            "[milter][header][add](5): <X-Note>=<a>: b>: tagger",
            .event(.milterHeaderAdded(.init(tag: 5, name: "X-Note", value: "a>: b"), milter: milter("tagger")))),
    ]

    /// What a careless admin, a broken syslog or an attacker with `logger` sends.
    static let hostile: [StatisticsCase] = [
        StatisticsCase(
            "[session][end][end-of-message][frobbed][1](2)",
            .error(.init(kind: "[session][end]", problem: .unknownStatus("frobbed")))),
        StatisticsCase(
            "[session][end][end-of-message][pass][-1](2)",
            .error(.init(kind: "[session][end]", problem: .badElapsed("-1")))),
        StatisticsCase(
            "[session][end][end-of-message][pass][nan](2)",
            .error(.init(kind: "[session][end]", problem: .badElapsed("nan")))),
        StatisticsCase(
            "[session][end][end-of-message][pass][1e400](2)",
            .error(.init(kind: "[session][end]", problem: .badElapsed("1e400")))),
        StatisticsCase(
            "[session][end][end-of-message][pass][1](99999999999999999999)",
            .error(.init(kind: "[session][end]", problem: .badNumber("99999999999999999999")))),
        StatisticsCase(
            "[session][end][end-of-message][pass][1](2) extra",
            .error(.init(kind: "[session][end]", problem: .trailingText(" extra")))),
        StatisticsCase(
            "[session][end][END][pass][1](2)",
            .error(.init(kind: "[session][end]", problem: .missing(expected: "[STATE] of lowercase words")))),
        StatisticsCase(
            "[session][end][end-of-message][pass]",
            .error(.init(kind: "[session][end]", problem: .missing(expected: "[ELAPSED]")))
        ),
        StatisticsCase(
            "[milter][end][end-of-message][pass][0.1](4): ../../etc/passwd",
            .error(.init(kind: "[milter][end]", problem: .refusedMilterName("../../etc/passwd")))),
        StatisticsCase(
            "[milter][end][end-of-message][pass][0.1](4): a:b",
            .error(.init(kind: "[milter][end]", problem: .refusedMilterName("a:b")))),
        StatisticsCase(
            "[milter][end][end-of-message][pass][0.1](4): ",
            .error(.init(kind: "[milter][end]", problem: .refusedMilterName("")))),
        StatisticsCase(
            "[milter][end][end-of-message][pass][0.1](4): " + String(repeating: "m", count: 65),
            .error(.init(kind: "[milter][end]", problem: .refusedMilterName(String(repeating: "m", count: 65))))),
        StatisticsCase(
            "[milter][header][add](4): <X-Spam-Report>=< * 3.5 BAYES_99 BODY: Bayesian spam probability is",
            .error(.init(kind: "[milter][header][add]", problem: .truncated))),
        StatisticsCase(
            "[session][header][add](4): <X Bad>=<1>",
            .error(.init(kind: "[session][header][add]", problem: .badHeaderName("X Bad")))),
        StatisticsCase(
            "[sessions][finished] 1(+x) 2", .error(.init(kind: "[sessions][finished]", problem: .badNumber("")))),
        StatisticsCase("[frobnicate] anything", .notGraphed),
        StatisticsCase("", .notGraphed),
    ]

    @Test(arguments: ours + original + hostile)
    func parses(_ example: StatisticsCase) {
        let result: Result<StatisticsEvent?, StatisticsLineError>
        do {
            result = .success(try StatisticsLineParser.parse(Array(example.text.utf8)[...]))
        } catch {
            result = .failure(error)
        }
        switch (example.expected, result) {
        case (.event(let expected), .success(let event)): #expect(event == expected)
        case (.notGraphed, .success(let event)): #expect(event == nil)
        case (.error(let expected), .failure(let error)): #expect(error == expected)
        case (_, .success(let event)): Issue.record("parsed as \(String(describing: event))")
        case (_, .failure(let error)): Issue.record("failed: \(error)")
        }
    }

    /// Bytes that are not UTF-8 in a header value are kept (repaired), never a crash.
    @Test func nonUTF8ValueIsRepaired() throws {
        let bytes = Array("[milter][header][add](4): <Subject>=<".utf8) + [0xff, 0xfe, 0x80] + Array(">: tagger".utf8)
        let event = try StatisticsLineParser.parse(bytes[...])
        guard case .milterHeaderAdded(let addition, let name) = event else {
            Issue.record("not a header line: \(String(describing: event))")
            return
        }
        #expect(name.text == "tagger")
        #expect(addition.value == "\u{FFFD}\u{FFFD}\u{FFFD}")
    }

    /// A milter name with a byte over 0x7f is refused.
    @Test func nonASCIIMilterNameIsRefused() {
        let bytes = Array("[milter][end][connect][pass][0](1): caf".utf8) + [0xc3, 0xa9]
        #expect(throws: StatisticsLineError.self) { try StatisticsLineParser.parse(bytes[...]) }
    }
}
