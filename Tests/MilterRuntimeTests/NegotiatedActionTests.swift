import MilterProtocol
import MilterRuntime
import NIOCore
import Testing

/// issue 9 class 8: a reply that changes the message (every modification kind, quarantine)
/// reaches the MTA only when the child negotiated its action and the MTA granted it.
@Suite("Message-changing replies need their negotiated action")
struct NegotiatedActionTests {
    /// One reply of every kind, by its code. A code added to `MilterReplyCode` without a sample
    /// here fails `everyReplyCodeHasASample`, and the tables below then cover it.
    static let samples: [MilterReplyCode: MilterReply] = [
        .shutdown: .shutdown,
        .addRecipient: .modification(.addRecipient("<added@example.org>", parameters: nil)),
        .deleteRecipient: .modification(.deleteRecipient("<r@example.org>")),
        .addRecipientWithParameters: .modification(.addRecipient("<added@example.org>", parameters: "NOTIFY=NEVER")),
        .negotiate: .negotiate(Negotiation(version: 6, actions: .all, steps: [])),
        .accept: .accept,
        .replaceBody: .modification(.replaceBody(ByteBuffer(string: "replaced\r\n"))),
        .continue: .continue,
        .discard: .discard,
        .changeFrom: .modification(.changeFrom(sender: "<bounce@example.com>", parameters: nil)),
        .connectionFailure: .connectionFailure,
        .addHeader: .modification(.addHeader(name: "X-Added", value: "1")),
        .insertHeader: .modification(.insertHeader(index: 0, name: "X-First", value: "0")),
        .setSymbolList: .setSymbolList(MacroRequest(stage: .connect, symbols: ["j"])),
        .changeHeader: .modification(.changeHeader(index: 1, name: "Subject", value: "[spam] hi")),
        .progress: .progress,
        .quarantine: .quarantine(reason: "held for review"),
        .reject: .reject,
        .skip: .skip,
        .temporaryFailure: .temporaryFailure,
        .replyCode: .replyCode(try! SMTPReply(validating: "550 5.7.1 no")),
    ]

    @Test func everyReplyCodeHasASample() {
        for code in MilterReplyCode.allCases {
            #expect(Self.samples[code]?.code == code, "no sample reply for \(code)")
        }
    }

    /// Every reply that needs an action and can come at end-of-message (SETSYMLIST is a
    /// negotiation reply: at end-of-message it is a protocol violation whatever was negotiated).
    static let enforced: [MilterReplyCode] = MilterReplyCode.allCases.filter {
        samples[$0]?.requiredAction != nil && $0 != .setSymbolList
    }

    @Test func everyMessageChangeIsEnforced() {
        #expect(
            Set(Self.enforced) == [
                .addRecipient, .deleteRecipient, .addRecipientWithParameters, .replaceBody, .changeFrom, .addHeader,
                .insertHeader, .changeHeader, .quarantine,
            ])
    }

    @Test(arguments: enforced)
    func aReplyTheChildDidNotNegotiateNeverReachesTheMTA(_ code: MilterReplyCode) throws {
        let reply = try #require(Self.samples[code])
        let required = try #require(reply.requiredAction)
        let run = Harness.endOfMessage(
            childActions: ActionFlags.all.subtracting(required), mtaActions: .all, reply: reply)
        #expect(run.eom == [.accept], "\(code): \(run.eom)")
        #expect(
            run.logs.contains { $0.contains("[leader][error][\(code.character)]") && $0.contains("not negotiated") })
        #expect(!run.logs.contains { $0.contains("[reply][end-of-message][quarantine]") })
    }

    @Test(arguments: enforced)
    func aReplyTheMTADidNotGrantNeverReachesIt(_ code: MilterReplyCode) throws {
        let reply = try #require(Self.samples[code])
        let required = try #require(reply.requiredAction)
        let run = Harness.endOfMessage(
            childActions: .all, mtaActions: ActionFlags.all.subtracting(required), reply: reply)
        #expect(run.eom == [.accept], "\(code): \(run.eom)")
    }

    /// The control: negotiated on both sides, the reply is passed on.
    @Test(arguments: enforced)
    func aNegotiatedReplyReachesTheMTA(_ code: MilterReplyCode) throws {
        let reply = try #require(Self.samples[code])
        let required = try #require(reply.requiredAction)
        let run = Harness.endOfMessage(childActions: .all, mtaActions: .all, reply: reply)
        // (A header added by a child reaches the MTA as an insert at its merged position.)
        #expect(run.eom.contains { $0.requiredAction == required }, "\(code): \(run.eom)")
        #expect(run.eom.last == .accept)
    }

    /// One session with one child on the state machine: the child answers `continue` to every
    /// command and `reply; accept` to end-of-message.
    struct Harness {
        var coordinator: SessionCoordinator
        var childNegotiation: Negotiation
        var eomReplies: [MilterReply]
        var mta: [MilterReply] = []
        var logs: [String] = []

        static func endOfMessage(childActions: ActionFlags, mtaActions: ActionFlags, reply: MilterReply) -> (
            eom: [MilterReply], logs: [String]
        ) {
            let child = ChildDefinition(name: "child", connectionSpec: .unix(path: "/tmp/child.sock"))
            var harness = Harness(
                coordinator: SessionCoordinator(
                    tag: 1, children: [child], childTags: [2], settings: SessionSettings(),
                    environment: SessionEnvironment(now: { 0 })),
                childNegotiation: Negotiation(version: 6, actions: childActions, steps: []),
                eomReplies: [reply, .accept])
            let commands: [MilterCommand] = [
                .negotiate(Negotiation(version: 6, actions: mtaActions, steps: [])),
                .connect(hostname: "mx.example.net", address: .inet(address: "192.0.2.1", port: 25)),
                .mail(sender: "<s@example.com>", arguments: []), .recipient("<r@example.org>", arguments: []), .data,
                .header(name: "Subject", value: "hi"), .endOfHeader, .body(ByteBuffer(string: "text\r\n")),
            ]
            for command in commands { harness.send(command) }
            harness.mta.removeAll()
            harness.send(.endOfMessage(ByteBuffer()))
            return (harness.mta, harness.logs)
        }

        mutating func send(_ command: MilterCommand) {
            coordinator.mtaCommand(command)
            var pending = coordinator.takeActions()
            while !pending.isEmpty {
                switch pending.removeFirst() {
                case .connectChild(let index): coordinator.childConnected(index)
                case .sendToChild(let index, let commands, let timer):
                    guard timer != nil, let last = commands.last else { break }
                    switch last {
                    case .negotiate: coordinator.childReply(index, .negotiate(childNegotiation))
                    case .endOfMessage: for reply in eomReplies { coordinator.childReply(index, reply) }
                    default: coordinator.childReply(index, .continue)
                    }
                case .sendToMTA(let replies): mta += replies
                case .sendBodyToMTA(let body): mta += SessionHarness.bodyReplies(body)
                case .log(let entry): logs.append(entry.message)
                case .cancelChildTimer, .restartChildTimer, .closeChild, .closeMTA, .checkDNSBL: break
                }
                pending += coordinator.takeActions()
            }
        }
    }
}
