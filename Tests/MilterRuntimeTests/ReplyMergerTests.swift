import MilterProtocol
import NIOCore
import Testing

@testable import MilterRuntime

/// Every rule of `ReplyMerger` (runtime.md §2), one named row each. A row's name is the rule as
/// the spec states it; the test's output lists them.
@Suite("ReplyMerger: the merge rules of runtime.md §2")
struct ReplyMergerTests {
    /// A named rule: an input and what the rule gives for it.
    struct Rule<Input: Sendable, Output: Sendable>: Sendable, CustomTestStringConvertible {
        let name: String
        let input: Input
        let expected: Output
        var testDescription: String { name }

        init(_ name: String, _ input: Input, _ expected: Output) {
            self.name = name
            self.input = input
            self.expected = expected
        }
    }

    static func code(_ text: String) -> SMTPReply { try! SMTPReply(validating: MilterString(text)) }
    static let reject550A = Verdict(replyCode: code("550 5.7.1 A"))
    static let reject550B = Verdict(replyCode: code("550 5.7.1 B"))
    static let tempfail451 = Verdict(replyCode: code("451 4.7.1 later"))

    // MARK: - Combining (§2.2) and "no child decided"

    static let combining: [Rule<(ReplyStage, [Verdict]), Verdict>] = [
        Rule(
            "discard beats reject", (.broadcast(.envelopeFrom), [Verdict(.reject), Verdict(.discard)]),
            Verdict(.discard)),
        Rule(
            "reject beats temporary-failure",
            (.broadcast(.envelopeFrom), [Verdict(.temporaryFailure), Verdict(.reject)]), Verdict(.reject)),
        Rule(
            "temporary-failure beats continue", (.broadcast(.helo), [Verdict(.continue), Verdict(.temporaryFailure)]),
            Verdict(.temporaryFailure)),
        Rule("continue beats skip", (.message(.body), [Verdict(.skip), Verdict(.continue)]), Verdict(.continue)),
        Rule("skip beats accept", (.message(.body), [Verdict(.accept), Verdict(.skip)]), Verdict(.skip)),
        Rule(
            "one continue and one accept give continue",
            (.broadcast(.connect), [Verdict(.accept), Verdict(.continue)]), Verdict(.continue)),
        Rule(
            "accept only when every child accepted", (.broadcast(.connect), [Verdict(.accept), Verdict(.accept)]),
            Verdict(.accept)),
        Rule(
            "no child decided at a broadcast stage: continue", (.broadcast(.envelopeRecipient), []), Verdict(.continue)),
        Rule("no child decided at a message stage: accept", (.message(.header), []), Verdict(.accept)),
        Rule("no child decided at end-of-message: accept", (.message(.endOfMessage), []), Verdict(.accept)),
        Rule("a reply code goes to the MTA with its reject", (.broadcast(.envelopeFrom), [reject550A]), reject550A),
        Rule(
            "among equal statuses the last reply code is sent", (.broadcast(.envelopeFrom), [reject550A, reject550B]),
            reject550B),
        Rule(
            "a plain reject after a coded one keeps the code",
            (.broadcast(.envelopeFrom), [reject550A, Verdict(.reject)]), reject550A),
        Rule(
            "a weaker status's reply code is not kept", (.broadcast(.envelopeFrom), [Verdict(.reject), tempfail451]),
            Verdict(.reject)),
        Rule(
            "a reply code stays with the status it fits, not the last one received",
            (.broadcast(.envelopeFrom), [reject550A, tempfail451, Verdict(.reject)]), reject550A),
        Rule(
            "discard goes without a reply code", (.broadcast(.data), [reject550A, Verdict(.discard)]), Verdict(.discard)
        ),
    ]

    @Test(arguments: combining)
    func combiningVerdicts(_ rule: Rule<(ReplyStage, [Verdict]), Verdict>) {
        var merger = ReplyMerger()
        for verdict in rule.input.1 { merger.add(verdict) }
        #expect(merger.answer(at: rule.input.0) == rule.expected)
    }

    static let verdicts: [Rule<(MilterStatus, SMTPReply?), SMTPReply?>] = [
        Rule("a 5xx code goes with reject", (.reject, code("554 5.7.1 no")), code("554 5.7.1 no")),
        Rule("a 4xx code goes with temporary-failure", (.temporaryFailure, code("451 later")), code("451 later")),
        Rule("a 4xx code never goes with reject", (.reject, code("451 later")), nil),
        Rule("a 5xx code never goes with temporary-failure", (.temporaryFailure, code("554 no")), nil),
        Rule("no code goes with continue, accept, discard or skip", (.discard, code("554 no")), nil),
    ]

    @Test(arguments: verdicts)
    func replyCodesStayWithTheStatusTheyFit(_ rule: Rule<(MilterStatus, SMTPReply?), SMTPReply?>) {
        let verdict = Verdict(rule.input.0, replyCode: rule.input.1)
        #expect(verdict.replyCode == rule.expected)
        #expect(verdict.reply == (rule.expected.map { .replyCode($0) } ?? rule.input.0.reply))
    }

    // MARK: - What a child counts as (§2.6, §2.8, §2.9, §1.5, §2.3)

    static let counting: [Rule<@Sendable () -> Verdict, Verdict>] = [
        Rule(
            "evaluation mode: a reject counts as accept",
            { ReplyMerger.counted(Verdict(.reject), evaluationMode: true) }, Verdict(.accept)),
        Rule(
            "evaluation mode: a coded tempfail counts as accept",
            { ReplyMerger.counted(tempfail451, evaluationMode: true) }, Verdict(.accept)),
        Rule(
            "evaluation mode: continue counts as it is",
            { ReplyMerger.counted(Verdict(.continue), evaluationMode: true) }, Verdict(.continue)),
        Rule(
            "a normal child's reject counts as it is, with its code",
            { ReplyMerger.counted(reject550A, evaluationMode: false) }, reject550A),
        Rule(
            "a failed child counts as its fallback, also in evaluation mode",
            { ReplyMerger.failed(fallback: .temporaryFailure) }, Verdict(.temporaryFailure)),
        Rule("stopped at connect: accept", { ReplyMerger.stopped(at: .broadcast(.connect)) }, Verdict(.accept)),
        Rule("stopped at helo: accept", { ReplyMerger.stopped(at: .broadcast(.helo)) }, Verdict(.accept)),
        Rule(
            "stopped at envelope-from: continue", { ReplyMerger.stopped(at: .broadcast(.envelopeFrom)) },
            Verdict(.continue)),
        Rule(
            "stopped for a recipient: continue", { ReplyMerger.stopped(at: .broadcast(.envelopeRecipient)) },
            Verdict(.continue)),
        Rule(
            "stopped at DATA: accept (RECOMMEND: an accept reply in the broadcast)",
            { ReplyMerger.stopped(at: .broadcast(.data)) }, Verdict(.accept)),
        Rule(
            "stopped at a message stage: accept (the next child takes over)",
            { ReplyMerger.stopped(at: .message(.header)) }, Verdict(.accept)),
        Rule(
            "no child left: the manager's fallback",
            { Verdict(ReplyMerger.withoutChildren(expired: nil, fallback: .temporaryFailure)) },
            Verdict(.temporaryFailure)),
        Rule(
            "no child left after the negotiation expired them: its status",
            { Verdict(ReplyMerger.withoutChildren(expired: .reject, fallback: .accept)) }, Verdict(.reject)),
    ]

    @Test(arguments: counting)
    func whatAChildCountsAs(_ rule: Rule<@Sendable () -> Verdict, Verdict>) {
        #expect(rule.input() == rule.expected)
    }

    static let expiry: [Rule<[MilterStatus], MilterStatus?>] = [
        Rule(
            "negotiation: the strongest fallback of the failed children expires the session",
            [.accept, .reject, .temporaryFailure], .reject),
        Rule("negotiation: accept fallbacks expire nothing", [.accept, .accept], nil),
        Rule("negotiation: no failure, no expiry", [], nil),
    ]

    @Test(arguments: expiry)
    func negotiationFallback(_ rule: Rule<[MilterStatus], MilterStatus?>) {
        var failures = ReplyMerger()
        for fallback in rule.input { failures.add(ReplyMerger.failed(fallback: fallback)) }
        #expect(ReplyMerger.sessionExpiry(negotiationFailures: failures) == rule.expected)
    }

    // MARK: - Which replies each stage allows (§1.3, §2.3)

    static let broadcastReplies: [Rule<(MilterReply, ReplyStage.Broadcast), ReplyMerger.BroadcastReply>] = [
        Rule("continue at connect", (.continue, .connect), .verdict(Verdict(.continue))),
        Rule(
            "a 5xx y at envelope-from rejects with its code", (.replyCode(code("550 5.1.1 no")), .envelopeFrom),
            .verdict(Verdict(replyCode: code("550 5.1.1 no")))),
        Rule(
            "discard at connect is a protocol violation", (.discard, .connect),
            .failure("[invalid-state][discard][connect] discard is not allowed here")),
        Rule(
            "discard at helo is a protocol violation", (.discard, .helo),
            .failure("[invalid-state][discard][helo] discard is not allowed here")),
        Rule("discard at envelope-recipient is a verdict", (.discard, .envelopeRecipient), .verdict(Verdict(.discard))),
        Rule(
            "connection-failure is a failure of the child (RECOMMEND)", (.connectionFailure, .data),
            .failure("[connection-failure] the milter gave up")),
        Rule(
            "shutdown is a failure of the child (RECOMMEND)", (.shutdown, .envelopeFrom),
            .failure("[shutdown] the milter gave up")),
        Rule(
            "skip outside a body is a protocol violation", (.skip, .envelopeRecipient),
            .failure("[state][invalid][envelope-recipient] s should not be sent here")),
        Rule(
            "a change outside end-of-message is a protocol violation",
            (.modification(.addHeader(name: "X", value: "1")), .data),
            .failure("[state][invalid][data] h should not be sent here")),
    ]

    @Test(arguments: broadcastReplies)
    func repliesAtBroadcastStages(_ rule: Rule<(MilterReply, ReplyStage.Broadcast), ReplyMerger.BroadcastReply>) {
        #expect(ReplyMerger.meaning(of: rule.input.0, at: rule.input.1) == rule.expected)
    }

    static let messageReplies: [Rule<(MilterReply, ReplyStage.Message), ReplyMerger.MessageReply>] = [
        Rule("skip in a body chunk", (.skip, .body), .verdict(Verdict(.skip))),
        Rule(
            "skip outside a body chunk is a protocol violation", (.skip, .header),
            .failure("[state][invalid][header] skip is only allowed for a body chunk")),
        Rule("progress at end-of-message", (.progress, .endOfMessage), .progress),
        Rule(
            "progress before end-of-message is a protocol violation", (.progress, .body),
            .failure("[state][invalid][body] progress is only allowed at end-of-message")),
        Rule("quarantine at end-of-message", (.quarantine(reason: "held"), .endOfMessage), .quarantine("held")),
        Rule(
            "quarantine before end-of-message is a protocol violation", (.quarantine(reason: "held"), .endOfHeader),
            .failure("[state][invalid][end-of-header] quarantine is only allowed at end-of-message")),
        Rule(
            "a change at end-of-message", (.modification(.deleteRecipient("<r@x>")), .endOfMessage),
            .modification(.deleteRecipient("<r@x>"))),
        Rule(
            "a change before end-of-message is a protocol violation",
            (.modification(.addHeader(name: "X", value: "1")), .header),
            .failure("[state][invalid][header] h is only allowed at end-of-message")),
        Rule("discard at a message stage is a verdict", (.discard, .header), .verdict(Verdict(.discard))),
        Rule(
            "a negotiation reply in a message is a protocol violation", (.negotiate(Negotiation()), .body),
            .failure("[state][invalid][body] O should not be sent here")),
    ]

    @Test(arguments: messageReplies)
    func repliesAtMessageStages(_ rule: Rule<(MilterReply, ReplyStage.Message), ReplyMerger.MessageReply>) {
        #expect(ReplyMerger.meaning(of: rule.input.0, at: rule.input.1) == rule.expected)
    }

    // MARK: - What a verdict does (§2.3, §2.4)

    static let effects: [Rule<(MilterStatus, ReplyStage.Broadcast), ReplyMerger.ChildEffect>] = [
        Rule("continue at connect: the child goes on", (.continue, .connect), .none),
        Rule("accept at connect: QUIT, out for the session", (.accept, .connect), .leavesSession),
        Rule("temporary-failure at helo: QUIT, out for the session", (.temporaryFailure, .helo), .leavesSession),
        Rule("accept at envelope-from: out of this message only", (.accept, .envelopeFrom), .leavesMessage),
        Rule("reject at DATA: out of this message only", (.reject, .data), .leavesMessage),
        Rule(
            "continue at RCPT: the recipient counts for the child", (.continue, .envelopeRecipient), .acceptsRecipient),
        Rule("accept at RCPT: out of the message", (.accept, .envelopeRecipient), .leavesMessage),
        Rule("reject at RCPT: for that recipient only", (.reject, .envelopeRecipient), .refusesRecipient),
        Rule(
            "discard at RCPT: recorded for the recipient (the answer aborts the message)",
            (.discard, .envelopeRecipient), .refusesRecipient),
        Rule("anything at unknown: no effect", (.reject, .unknown), .none),
    ]

    @Test(arguments: effects)
    func effectOnTheChild(_ rule: Rule<(MilterStatus, ReplyStage.Broadcast), ReplyMerger.ChildEffect>) {
        #expect(ReplyMerger.effect(of: rule.input.0, at: rule.input.1) == rule.expected)
    }

    static let aborts: [Rule<(MilterStatus, ReplyStage.Broadcast), Bool>] = [
        Rule("a reject at envelope-from aborts the message", (.reject, .envelopeFrom), true),
        Rule("a temporary failure at DATA aborts the message", (.temporaryFailure, .data), true),
        Rule("a reject at RCPT is per recipient: no abort", (.reject, .envelopeRecipient), false),
        Rule("a discard at RCPT aborts the whole message", (.discard, .envelopeRecipient), true),
        Rule("accept aborts nothing", (.accept, .envelopeFrom), false),
        Rule("continue aborts nothing", (.continue, .data), false),
    ]

    @Test(arguments: aborts)
    func combinedAnswerAbortsTheMessage(_ rule: Rule<(MilterStatus, ReplyStage.Broadcast), Bool>) {
        #expect(ReplyMerger.abortsMessage(after: rule.input.0, at: rule.input.1) == rule.expected)
    }

    static let recipients: [Rule<Int, Bool>] = [
        Rule("a child that refused every recipient does not get the message", 0, false),
        Rule("a child with one recipient left gets the message", 1, true),
    ]

    @Test(arguments: recipients)
    func perRecipient(_ rule: Rule<Int, Bool>) {
        #expect(ReplyMerger.takesMessage(acceptedRecipients: rule.input) == rule.expected)
    }

    static let steps: [Rule<(Verdict, ReplyStage.Message, Bool), ReplyMerger.MessageStep>] = [
        Rule("continue mid-message: the next piece", (Verdict(.continue), .header, false), .nextItem),
        Rule(
            "continue at end-of-message: the child is done", (Verdict(.continue), .endOfMessage, false),
            .leaves(Verdict(.continue))),
        Rule(
            "accept mid-message: the child is done, the next is replayed", (Verdict(.accept), .body, false),
            .leaves(Verdict(.accept))),
        Rule("skip in a body: no more chunks for the child", (Verdict(.skip), .body, false), .skipsBody),
        Rule("reject: the MTA is answered at once", (reject550A, .header, false), .refuses(reject550A)),
        Rule(
            "discard at end-of-message: the MTA is answered at once", (Verdict(.discard), .endOfMessage, false),
            .refuses(Verdict(.discard))),
        Rule(
            "evaluation mode: a reject finishes the child as accept", (reject550A, .endOfHeader, true),
            .leaves(Verdict(.accept))),
    ]

    @Test(arguments: steps)
    func messageSteps(_ rule: Rule<(Verdict, ReplyStage.Message, Bool), ReplyMerger.MessageStep>) {
        #expect(ReplyMerger.step(after: rule.input.0, at: rule.input.1, evaluationMode: rule.input.2) == rule.expected)
    }

    static let failures: [Rule<MilterStatus, ReplyMerger.MessageStep>] = [
        Rule(
            "a failed head child with fallback accept: the next child (RECOMMEND)", .accept, .leaves(Verdict(.accept))),
        Rule(
            "a failed head child with fallback reject: the final answer, all aborted (RECOMMEND)", .reject,
            .refuses(Verdict(.reject))),
        Rule("a failed head child with fallback discard: the final answer", .discard, .refuses(Verdict(.discard))),
    ]

    @Test(arguments: failures)
    func failureInTheMessage(_ rule: Rule<MilterStatus, ReplyMerger.MessageStep>) {
        #expect(ReplyMerger.step(afterFailureWithFallback: rule.input) == rule.expected)
    }

    // MARK: - End-of-message changes (§2.5, §2.6)

    static let all = ActionFlags.all
    static let fates: [Rule<(MilterReply, Bool, ActionFlags, ActionFlags?), ReplyMerger.ChangeFate>] = [
        Rule(
            "a granted change is merged", (.modification(.addHeader(name: "X", value: "1")), false, all, all), .merged),
        Rule(
            "an evaluation-mode child's change is ignored",
            (.modification(.addHeader(name: "X", value: "1")), true, all, all), .ignoredInEvaluationMode),
        Rule(
            "a change the child did not negotiate is dropped",
            (.modification(.changeFrom(sender: "<a@x>", parameters: nil)), false, [.addHeaders], all),
            .notGranted(.changeFrom)),
        Rule(
            "a change the MTA did not grant is dropped",
            (.modification(.replaceBody(ByteBuffer())), false, all, [.addHeaders]), .notGranted(.changeBody)),
        Rule(
            "quarantine needs the quarantine action", (.quarantine(reason: "q"), false, all, [.addHeaders]),
            .notGranted(.quarantine)),
        Rule(
            "nothing is granted before the MTA was answered", (.quarantine(reason: "q"), false, all, nil),
            .notGranted(.quarantine)),
    ]

    @Test(arguments: fates)
    func changeFate(_ rule: Rule<(MilterReply, Bool, ActionFlags, ActionFlags?), ReplyMerger.ChangeFate>) {
        let (reply, evaluation, child, granted) = rule.input
        #expect(
            ReplyMerger.fate(of: reply, evaluationMode: evaluation, childActions: child, grantedActions: granted)
                == rule.expected)
    }

    /// The MTA's headers in each merge row.
    static func message() -> WorkingMessage {
        var message = WorkingMessage(spool: BodySpool.Settings(threshold: 1 << 20, directory: "/nonexistent"))
        message.headers.append(name: "Received", value: "one")
        message.headers.append(name: "Subject", value: "hi")
        message.headers.append(name: "Received", value: "two")
        message.originalHeaders = message.headers
        return message
    }

    static let headerMerges: [Rule<(MessageModification, Bool), [String]>] = [
        Rule(
            "add-header goes before the first header of that name, any case",
            (.addHeader(name: "received", value: "zero"), false),
            ["received: zero", "Received: one", "Subject: hi", "Received: two"]),
        Rule(
            "add-header of a new name is appended", (.addHeader(name: "X-A", value: "a"), false),
            ["Received: one", "Subject: hi", "Received: two", "X-A: a"]),
        Rule(
            "insert-header at its 0-based position", (.insertHeader(index: 1, name: "X-A", value: "a"), false),
            ["Received: one", "X-A: a", "Subject: hi", "Received: two"]),
        Rule(
            "insert-header past the end is appended", (.insertHeader(index: 99, name: "X-A", value: "a"), false),
            ["Received: one", "Subject: hi", "Received: two", "X-A: a"]),
        Rule(
            "change-header changes the n-th (1-based) header of that name",
            (.changeHeader(index: 2, name: "Received", value: "2"), false),
            ["Received: one", "Subject: hi", "Received: 2"]),
        Rule(
            "change-header with an empty value deletes it",
            (.changeHeader(index: 1, name: "Received", value: ""), false),
            ["Subject: hi", "Received: two"]),
        Rule(
            "change-header of a missing header adds it", (.changeHeader(index: 1, name: "X-A", value: "a"), false),
            ["Received: one", "Subject: hi", "Received: two", "X-A: a"]),
        Rule(
            "a child that did not negotiate the leading space gets one added to its values",
            (.addHeader(name: "X-A", value: "a"), true), ["Received: one", "Subject: hi", "Received: two", "X-A:  a"]),
        Rule(
            "a value that has its leading space keeps it", (.addHeader(name: "X-A", value: " a"), true),
            ["Received: one", "Subject: hi", "Received: two", "X-A:  a"]),
        Rule(
            "a deletion gets no leading space", (.changeHeader(index: 1, name: "Subject", value: ""), true),
            ["Received: one", "Received: two"]),
    ]

    @Test(arguments: headerMerges)
    func headerChangesInTheWorkingCopy(_ rule: Rule<(MessageModification, Bool), [String]>) {
        var message = Self.message()
        ReplyMerger.merge(rule.input.0, into: &message, fixLeadingSpace: rule.input.1)
        #expect(message.headers.headers.map { "\($0.name.string): \($0.value.string)" } == rule.expected)
    }

    static let laterWins: [Rule<[MessageModification], [MilterReply]>] = [
        Rule(
            "the last change-from wins",
            [.changeFrom(sender: "<a@x>", parameters: nil), .changeFrom(sender: "<b@x>", parameters: "P=1")],
            [.modification(.changeFrom(sender: "<b@x>", parameters: "P=1")), .accept]),
        Rule(
            "recipient changes keep their arrival order",
            [.deleteRecipient("<r@x>"), .addRecipient("<s@x>", parameters: nil), .deleteRecipient("<t@x>")],
            [
                .modification(.deleteRecipient("<r@x>")), .modification(.addRecipient("<s@x>", parameters: nil)),
                .modification(.deleteRecipient("<t@x>")), .accept,
            ]),
    ]

    @Test(arguments: laterWins)
    func envelopeChanges(_ rule: Rule<[MessageModification], [MilterReply]>) {
        var message = Self.message()
        for change in rule.input { ReplyMerger.merge(change, into: &message, fixLeadingSpace: false) }
        let answer = ReplyMerger.endOfMessageAnswer(message, answer: Verdict(.accept))
        #expect(answer.body == nil)
        #expect(answer.repliesWithoutBody == rule.expected)
    }

    @Test func theLastChildThatReplacesTheBodyWinsAndTheAnswerKeepsItsOrder() throws {
        var message = Self.message()
        message.body.append(ByteBuffer(string: "original"))
        // First child: two `b` chunks joined; re-chunked by chunk_size when it is done.
        ReplyMerger.merge(.replaceBody(ByteBuffer(string: "first ")), into: &message, fixLeadingSpace: false)
        ReplyMerger.merge(.replaceBody(ByteBuffer(string: "body")), into: &message, fixLeadingSpace: false)
        ReplyMerger.childFinished(&message, chunkSize: 4)
        #expect(try message.body.chunks() == ["firs", "t bo", "dy"].map { ByteBuffer(string: $0) })
        // Second child replaces it again: its body wins.
        ReplyMerger.merge(.replaceBody(ByteBuffer(string: "second")), into: &message, fixLeadingSpace: false)
        ReplyMerger.childFinished(&message, chunkSize: 65535)
        ReplyMerger.merge(.changeFrom(sender: "<f@x>", parameters: nil), into: &message, fixLeadingSpace: false)
        ReplyMerger.merge(.addRecipient("<r@x>", parameters: nil), into: &message, fixLeadingSpace: false)
        ReplyMerger.merge(
            .changeHeader(index: 1, name: "Subject", value: "[x] hi"), into: &message, fixLeadingSpace: false)
        message.quarantineReason = "held"
        // Order: recipients, body, headers, sender, quarantine, verdict.
        let answer = ReplyMerger.endOfMessageAnswer(message, answer: Verdict(.continue))
        #expect(try answer.body?.chunks() == [ByteBuffer(string: "second")])
        #expect(
            answer.actions.flatMap { action -> [MilterReply] in
                switch action {
                case .sendToMTA(let replies): return replies
                case .sendBodyToMTA(let body): return SessionHarness.bodyReplies(body)
                case .connectChild, .sendToChild, .cancelChildTimer, .restartChildTimer, .closeChild, .closeMTA, .log,
                    .checkDNSBL:
                    return []
                }
            } == [
                .modification(.addRecipient("<r@x>", parameters: nil)),
                .modification(.replaceBody(ByteBuffer(string: "second"))),
                .modification(.changeHeader(index: 1, name: "Subject", value: "[x] hi")),
                .modification(.changeFrom(sender: "<f@x>", parameters: nil)),
                .quarantine(reason: "held"),
                .continue,
            ])
    }

    static let leadingSpace: [Rule<(ProtocolFlags?, ProtocolFlags, MilterString), MilterString>] = [
        Rule(
            "granted by the MTA, not asked by the child: one space less", ([.headerValueWithLeadingSpace], [], " v"),
            "v"),
        Rule(
            "asked by the child too: the value as it is",
            ([.headerValueWithLeadingSpace], [.headerValueWithLeadingSpace], " v"), " v"),
        Rule("not granted by the MTA: the value as it is", ([], [], " v"), " v"),
        Rule("a value without the space stays", ([.headerValueWithLeadingSpace], [], "v"), "v"),
    ]

    @Test(arguments: leadingSpace)
    func headerValuesForAChild(_ rule: Rule<(ProtocolFlags?, ProtocolFlags, MilterString), MilterString>) {
        let fix = ReplyMerger.fixesLeadingSpace(granted: rule.input.0, child: rule.input.1)
        #expect(ReplyMerger.valueForChild(rule.input.2, fix: fix) == rule.expected)
    }
}
