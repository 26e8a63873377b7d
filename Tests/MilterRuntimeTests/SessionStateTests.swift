import Configuration
import MilterProtocol
import NIOCore
import Testing

@testable import MilterRuntime

/// The session state machine's own invariants (issue 12): events that cannot happen in a state
/// are handled explicitly and named in the log, outcomes are reported with the statistics words
/// the log analyzer reads, and commands that wait keep their order.
@Suite("Session state machine")
struct SessionStateTests {
    typealias H = SessionHarness

    @Test func aReplyFromAQuittedChildIsOnlyNotedWithTheStateNamed() {
        var session = H(children: ["a", "b"])
        session.negotiate()
        session.mta(.connect(hostname: "mx", address: .inet(address: "192.0.2.1", port: 25)))
        session.child(0, .accept)
        let connectAnswer = session.child(1, .continue)
        #expect(H.mtaReplies(connectAnswer) == [.continue])
        #expect(session.coordinator.children[0].connection == .finished)
        let late = session.child(0, .continue)
        #expect(H.mtaReplies(late).isEmpty)
        #expect(H.logs(late).count == 1)
        #expect(H.logs(late).first?.contains("[children][reply][quitted] [2] c (state idle)") == true)
        #expect(late.count == 1, "nothing but the note: \(late)")
    }

    @Test func aConnectionThatCompletesForAChildGivenUpIsClosed() {
        var session = H(children: ["a"])
        session.mta(.negotiate(H.child6))
        let failed = session.run { $0.childConnectFailed(0, reason: "Connection refused") }
        #expect(H.mtaReplies(failed).count == 1, "the negotiation is answered once the only child failed")
        let late = session.run { $0.childConnected(0) }
        #expect(late.contains(.closeChild(0)))
        #expect(H.logs(late).contains { $0.contains("[children][connected][unexpected] [2] a (state idle)") })
        #expect(H.mtaReplies(late).isEmpty)
    }

    @Test func aChildThatFailsTwiceIsCountedOnceInTheNegotiation() {
        var session = H(children: ["a", "b"])
        session.mta(.negotiate(H.child6))
        session.run { $0.childConnectFailed(0, reason: "Connection refused") }
        // The I/O layer may report the dead connection again: nothing more happens.
        #expect(session.run { $0.childClosed(0) }.isEmpty)
        #expect(H.logs(session.run { $0.childError(0, "reset") }).allSatisfy { $0.contains("[ignored]") })
        #expect(H.mtaReplies(session.history).isEmpty, "the MTA is answered when b is done, not before")
        session.run { $0.childConnected(1) }
        let done = session.child(1, .negotiate(H.child6))
        #expect(H.mtaReplies(done).count == 1)
        #expect(H.mtaReplies(session.history).count == 1)
    }

    @Test func anMTACommandAfterTheEndIsIgnoredWithTheStateNamed() {
        var session = H(children: ["a"])
        session.negotiate()
        session.mta(.quit)
        let late = session.mta(.helo("mx.example.net"))
        #expect(H.logs(late) == ["[1] [client][ignored] helo after the session ended (state finished)"])
        #expect(late.count == 1)
        let timer = session.run { $0.childTimeout(0, .reading) }
        #expect(H.logs(timer).allSatisfy { $0.contains("[ignored]") && $0.contains("(state finished)") })
    }

    @Test func aReplyWhileNoCommandIsPendingFailsTheChild() {
        var session = H(children: ["a", "b"], fallback: .temporaryFailure)
        session.negotiate()
        let actions = session.child(0, .continue)
        #expect(
            H.logs(actions).contains {
                $0.contains("[children][error][negotiate][temporary-failure] [2] [reply][unexpected]")
            })
        #expect(actions.contains(.closeChild(0)))
        #expect(H.logs(actions).contains { $0.hasPrefix("[milter][end][negotiate][error]") })
        #expect(H.mtaReplies(actions).isEmpty)
    }

    @Test func anEvaluationChildThatRefusesMidMessageKeepsItsRealOutcome() {
        var session = H(children: ["judge", "real"], evaluation: ["judge"])
        session.negotiate()
        session.openMessage()
        session.mta(.header(name: "Subject", value: "x"))
        let afterJudge = session.child(0, .reject)
        #expect(H.commands(to: 0, afterJudge) == [.abort], "left before the end: aborted")
        let answer = session.child(1, .continue)
        #expect(H.mtaReplies(answer) == [.continue], "its reject counted as accept")
        let end = session.mta(.quit)
        #expect(H.logs(end).contains { $0.hasPrefix("[milter][end][header][reject]") && $0.hasSuffix(": judge") })
    }

    @Test func aReplyCodeStaysWithTheStatusItFitsAcrossChildren() throws {
        var session = H(children: ["a", "b", "c"])
        session.negotiate()
        session.mta(.connect(hostname: "mx", address: .inet(address: "192.0.2.1", port: 25)))
        for index in 0..<3 { session.child(index, .continue) }
        session.mta(.mail(sender: "<s@example.com>", arguments: []))
        let a = try SMTPReply(validating: "550 5.7.1 from a")
        session.child(0, .replyCode(a))
        session.child(1, .replyCode(try SMTPReply(validating: "451 4.7.1 from b")))
        let answer = session.child(2, .reject)
        #expect(H.mtaReplies(answer) == [.replyCode(a)])
    }

    @Test func mailInsideAMessageAbortsTheMessageFirst() {
        var session = H(children: ["a"])
        session.negotiate()
        session.openMessage()
        session.mta(.header(name: "Subject", value: "x"))
        session.child(0, .continue)
        let mail = session.mta(.mail(sender: "<other@example.com>", arguments: []))
        #expect(H.commands(to: 0, mail) == [.abort, .mail])
        #expect(H.logs(mail).contains { $0.contains("[client][state][envelope-from] sent inside a message") })
        #expect(H.mtaReplies(session.child(0, .continue)) == [.continue])
    }

    @Test func commandsWaitingAroundQuitNewConnectionKeepTheirOrder() {
        var session = H(children: ["a"])
        session.negotiate()
        session.mta(.connect(hostname: "one", address: .inet(address: "192.0.2.1", port: 25)))
        // The MTA does not wait for the answer: K and the next session's first commands queue.
        session.mta(.quitNewConnection)
        session.mta(.connect(hostname: "two", address: .inet(address: "192.0.2.2", port: 25)))
        session.mta(.helo("two.example.net"))
        let reconnect = session.child(0, .continue)
        #expect(H.mtaReplies(reconnect) == [.continue])
        #expect(reconnect.contains(.connectChild(0)))
        session.connectAll()
        session.child(0, .continue)
        session.child(0, .continue)
        #expect(
            H.commands(to: 0, session.history) == [.negotiate, .connect, .quit, .negotiate, .connect, .helo])
        #expect(H.mtaReplies(session.history).filter { $0 == .continue }.count == 3)
    }

    @Test func whetherAChildOwesAReplyFollowsItsState() {
        var session = H(children: ["a"])
        session.mta(.negotiate(H.child6))
        #expect(!session.coordinator.isAwaitingReply(from: 0), "connecting")
        session.run { $0.childConnected(0) }
        #expect(session.coordinator.isAwaitingReply(from: 0), "its negotiation answer")
        session.child(0, .negotiate(H.child6))
        #expect(!session.coordinator.isAwaitingReply(from: 0))
        session.mta(.connect(hostname: "mx", address: .inet(address: "192.0.2.1", port: 25)))
        #expect(session.coordinator.isAwaitingReply(from: 0))
        session.child(0, .continue)
        #expect(!session.coordinator.isAwaitingReply(from: 0))
    }

    // MARK: - Statistics words: an interface (runtime.md §5.2; Sources/LogAnalyzer reads them)

    static let words: [(String, String)] = [
        (MilterStatus.continue.nick, "pass"), (MilterStatus.accept.nick, "accept"),
        (MilterStatus.reject.nick, "reject"), (MilterStatus.temporaryFailure.nick, "temporary-failure"),
        (MilterStatus.discard.nick, "discard"), (MilterStatus.skip.nick, "skip"),
        (ChildOutcome.undecided.nick, "pass"), (ChildOutcome.verdict(.discard).nick, "discard"),
        (ChildOutcome.stopped.nick, "stop"), (ChildOutcome.failed.nick, "error"),
        (ChildOutcome.aborted.nick, "abort"), (SessionOutcome.undecided.nick, "pass"),
        (SessionOutcome.answered(.temporaryFailure).nick, "temporary-failure"), (SessionOutcome.aborted.nick, "abort"),
    ]

    @Test(arguments: words)
    func statisticsWordsStayAsTheyWere(_ word: String, _ expected: String) {
        #expect(word == expected)
    }

    @Test func everyVerdictHasItsOwnWord() {
        #expect(Set(MilterStatus.allCases.map(\.nick)).count == MilterStatus.allCases.count)
    }

    // MARK: - What conditions see of other children

    static let results: [(ChildOutcome, ChildState.Connection, ChildResult, Bool)] = [
        (.verdict(.accept), .ready, .accept, true),
        (.verdict(.reject), .ready, .reject, true),
        (.verdict(.reject), .ready, .temporaryFailure, false),
        (.verdict(.temporaryFailure), .ready, .temporaryFailure, true),
        (.verdict(.discard), .ready, .discard, true),
        (.stopped, .finished, .quitted, true),
        (.stopped, .finished, .accept, false),
        (.undecided, .ready, .quitted, false),
        (.failed, .finished, .quitted, true),
        (.failed, .finished, .reject, false),
    ]

    @Test(arguments: results)
    func conditionsSeeAChildsResults(
        outcome: ChildOutcome, connection: ChildState.Connection, result: ChildResult, seen: Bool
    ) {
        var child = ChildState(definition: ChildDefinition(name: "c", connectionSpec: .unix(path: "/tmp/c")), tag: 2)
        child.outcome = outcome
        child.connection = connection
        #expect(child.has(result) == seen)
    }
}
