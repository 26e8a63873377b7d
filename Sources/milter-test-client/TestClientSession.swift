import MilterProtocol
import NIOCore

/// The milter side of one connection as an IO-free state machine: it prints every event as the
/// original milter-test-client does (runtime.md §4.3) and answers continue, or as told.
///
///     negotiate: version=<6>, action=<add-headers|...>, step=<no-connect|...>
///     connect: host=<mx.example.net>, address=<inet:50443@[192.168.123.123]>
///     helo: <delian>
///     envelope-from: <<sender@example.com>>
///     envelope-recipient: <<receiver@example.org>>
///     data
///     unknown: <CMD>
///     header: <From: <sender@example.com>>
///     end-of-header
///     body: <...>
///     end-of-message[: <chunk>]
///     abort
///     finished
///
/// Each line is followed, when the stage got macros, by `macros:` and `  name=value` lines
/// (names without braces, sorted).
struct TestClientSession {
    /// Where the connection is.
    enum State: Hashable, Sendable {
        /// Waiting for the MTA's `O`.
        case negotiating
        /// Negotiated; commands flow.
        case running
        /// `Q` received, the connection closed, or an error: nothing more happens.
        case finished
    }

    /// What the channel handler must do after a command.
    struct Actions {
        /// Text to print (whole lines).
        var output: [UInt8] = []
        /// Replies to send, in one write.
        var replies: [MilterReply] = []
        /// Close the connection (after the replies).
        var close = false
    }

    /// How to answer.
    let behavior: ClientBehavior
    /// Where the connection is.
    private(set) var state: State = .negotiating
    private var macros: [MilterCommandCode: [Macro]] = [:]
    private var receivedAny = false

    /// A session answering as `behavior` says.
    init(behavior: ClientBehavior) {
        self.behavior = behavior
    }

    /// A command arrived.
    mutating func received(_ command: MilterCommand) -> Actions {
        var actions = Actions()
        receivedAny = true
        switch (state, command) {
        case (.finished, _):
            return actions
        case (.negotiating, .negotiate(let offer)):
            report(Self.eventLine(command), into: &actions)
            actions.replies = [.negotiate(NegotiationRules.defaultMilterAnswer(offered: offer))]
            state = .running
        case (.negotiating, .macro(let stage, let values)), (.running, .macro(let stage, let values)):
            macros[stage] = values
        case (.negotiating, .quit), (.running, .quit):
            finish(into: &actions)
            actions.close = true
        case (.negotiating, .quitNewConnection), (.running, .quitNewConnection):
            finish(into: &actions)
            state = .negotiating
            macros = [:]
        case (.running, .abort):
            report("abort", into: &actions)
            forgetMessageMacros()
        case (.running, .negotiate):
            report("ERROR: negotiate received twice", into: &actions)
            finish(into: &actions)
            actions.close = true
        case (.negotiating, .abort), (.negotiating, .connect), (.negotiating, .helo), (.negotiating, .mail),
            (.negotiating, .recipient), (.negotiating, .data), (.negotiating, .header), (.negotiating, .endOfHeader),
            (.negotiating, .body), (.negotiating, .endOfMessage), (.negotiating, .unknown):
            report("ERROR: \(command.code.stageName) received before negotiate", into: &actions)
            finish(into: &actions)
            actions.close = true
        case (.running, .connect), (.running, .helo), (.running, .mail), (.running, .recipient), (.running, .data),
            (.running, .header), (.running, .endOfHeader), (.running, .body), (.running, .endOfMessage),
            (.running, .unknown):
            guard let stage = ClientStage(command: command) else { return actions }
            report(Self.eventLine(command), into: &actions)
            reportMacros(for: stage, into: &actions)
            actions.replies = replies(at: stage)
            if stage == .endOfMessage { forgetMessageMacros() }
        }
        return actions
    }

    /// The connection closed (or broke): `finished` unless already printed, or unless nothing at
    /// all was received (a port probe).
    mutating func connectionClosed() -> Actions {
        var actions = Actions()
        if receivedAny { finish(into: &actions) }
        return actions
    }

    /// A command could not be decoded: `ERROR: <message>`, then the connection is closed.
    mutating func failed(_ message: String) -> Actions {
        var actions = Actions()
        guard state != .finished else { return actions }
        actions.output = Array("ERROR: \(message)\n".utf8)
        finish(into: &actions)
        actions.close = true
        return actions
    }

    // MARK: - Output

    /// The event line of a command (without macros).
    static func eventLine(_ command: MilterCommand) -> String {
        switch command {
        case .negotiate(let offer):
            return "negotiate: version=<\(offer.version)>, action=<\(offer.actions.nickDescription)>, "
                + "step=<\(offer.steps.nickDescription)>"
        case .connect(let host, let address):
            return "connect: host=<\(host.string)>, address=<\(address.specDescription)>"
        case .helo(let fqdn): return "helo: <\(fqdn.string)>"
        case .mail(let sender, _): return "envelope-from: <\(sender.string)>"
        case .recipient(let recipient, _): return "envelope-recipient: <\(recipient.string)>"
        case .data: return "data"
        case .unknown(let text): return "unknown: <\(text.string)>"
        case .header(let name, let value): return "header: <\(name.string): \(value.string)>"
        case .endOfHeader: return "end-of-header"
        case .body(let chunk): return "body: <\(String(decoding: chunk.readableBytesView, as: UTF8.self))>"
        case .endOfMessage(let chunk):
            return chunk.readableBytes == 0
                ? "end-of-message" : "end-of-message: <\(String(decoding: chunk.readableBytesView, as: UTF8.self))>"
        case .abort: return "abort"
        case .quit, .quitNewConnection: return "finished"
        case .macro(let stage, _): return "define-macro: \(stage.stageName)"
        }
    }

    private func report(_ line: String, into actions: inout Actions) {
        guard behavior.reportsEvents else { return }
        actions.output += Array(line.utf8)
        actions.output.append(10)
    }

    private func reportMacros(for stage: ClientStage, into actions: inout Actions) {
        guard behavior.reportsEvents, let values = macros[stage.commandCode], !values.isEmpty else { return }
        actions.output += Array("macros:\n".utf8)
        for macro in values.sorted(by: { $0.name < $1.name }) {
            actions.output += Array("  \(macro.name)=".utf8) + macro.value.bytes
            actions.output.append(10)
        }
    }

    private mutating func finish(into actions: inout Actions) {
        guard state != .finished else { return }
        report("finished", into: &actions)
        state = .finished
    }

    private mutating func forgetMessageMacros() {
        for stage in ClientStage.allCases where stage.isMessageStage { macros[stage.commandCode] = nil }
    }

    // MARK: - Replies

    private func replies(at stage: ClientStage) -> [MilterReply] {
        let answer = behavior.answer(at: stage)
        var replies: [MilterReply] = []
        if stage == .endOfMessage && (answer == .continue || answer == .accept) {
            for header in behavior.addHeaders {
                replies.append(.modification(.addHeader(name: header.name, value: header.value)))
            }
            if let reason = behavior.quarantineReason { replies.append(.quarantine(reason: reason)) }
        }
        switch answer {
        case .continue: replies.append(.continue)
        case .accept: replies.append(.accept)
        case .discard: replies.append(.discard)
        case .reject:
            if let reply = behavior.replyCode, reply.isPermanent {
                replies.append(.replyCode(reply))
            } else {
                replies.append(.reject)
            }
        case .temporaryFailure:
            if let reply = behavior.replyCode, !reply.isPermanent {
                replies.append(.replyCode(reply))
            } else {
                replies.append(.temporaryFailure)
            }
        }
        return replies
    }
}
