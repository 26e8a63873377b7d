import Configuration
import MilterProtocol
import MilterScripting

/// What a session's own conditions look at (declarative rules and Lua scripts): one object per
/// session, so that a rule or a script call passes a reference and copies nothing. The stage
/// facts are kept as the MTA sent them and made text only when a rule or a script reads them;
/// the macros and the children are bound for the length of one evaluation only (so the
/// session's own storage is never shared while it changes).
final class SessionConditionFacts: ConditionFacts, ScriptFacts {
    /// The host name given at connect.
    var connectHost: MilterString?
    /// The address given at connect.
    var connectAddress: ConnectAddress?
    /// The HELO/EHLO name.
    var heloName: MilterString?
    /// The envelope sender of the current transaction.
    var envelopeSender: MilterString?
    /// The recipient at RCPT (nil at other stages).
    var envelopeRecipient: MilterString?
    /// The header at the header stage (nil at other stages).
    var currentHeader: (name: MilterString, value: MilterString)?

    // Bound for one evaluation.
    private(set) var milterName = ""
    private(set) var sessionsInProgress = 0
    private var stage = MilterCommandCode.connect
    private var mtaMacros: [MilterCommandCode: [Macro]] = [:]
    private var ownMacros: [MilterCommandCode: [Macro]] = [:]
    private var children: [ChildState] = []

    /// Notes the stage facts `command` carries.
    func note(_ command: MilterCommand) {
        envelopeRecipient = nil
        currentHeader = nil
        switch command {
        case .connect(let host, let address):
            connectHost = host
            connectAddress = address
            heloName = nil
            envelopeSender = nil
        case .helo(let name): heloName = name
        case .mail(let sender, _): envelopeSender = sender
        case .recipient(let recipient, _): envelopeRecipient = recipient
        case .header(let name, let value): currentHeader = (name, value)
        case .data, .endOfHeader, .body, .endOfMessage, .unknown, .negotiate, .macro, .abort, .quit,
            .quitNewConnection:
            break
        }
    }

    /// Binds what one evaluation for one child sees; `unbind()` after it.
    func bind(
        milter: String, stage: MilterCommandCode, mtaMacros: [MilterCommandCode: [Macro]],
        ownMacros: [MilterCommandCode: [Macro]], children: [ChildState], sessions: Int
    ) {
        milterName = milter
        self.stage = stage
        self.mtaMacros = mtaMacros
        self.ownMacros = ownMacros
        self.children = children
        sessionsInProgress = sessions
    }

    /// Drops the references bound by `bind`.
    func unbind() {
        mtaMacros = [:]
        ownMacros = [:]
        children = []
    }

    // MARK: ConditionFacts

    var clientAddress: String? { connectAddress?.ipAddress }
    var clientHost: String? { connectHost?.string }
    var helo: String? { heloName?.string }
    var sender: String? { envelopeSender?.string }
    var recipient: String? { envelopeRecipient?.string }
    var header: (name: String, value: String)? { currentHeader.map { ($0.name.string, $0.value.string) } }

    /// The macro's latest value up to the current stage: the conditions' own macros for this
    /// child first, then the MTA's.
    func macro(_ name: String) -> String? { macroValue(Macro.normalizedName(name))?.string }

    func child(_ name: String, has result: ChildResult) -> Bool {
        children.first { $0.definition.name == name }?.has(result) ?? false
    }

    // MARK: ScriptFacts

    var isAuthenticated: Bool {
        !(macroValue("auth_type")?.isEmpty ?? true) || !(macroValue("auth_authen")?.isEmpty ?? true)
    }

    /// A verdict the child gave (`accept`, `reject`, ...), else `quitted` once it is out of the
    /// session, else nil.
    func childResult(_ name: String) -> String? {
        guard let child = children.first(where: { $0.definition.name == name }) else { return nil }
        if case .verdict(let status) = child.outcome {
            switch status {
            case .accept: return ChildResult.accept.rawValue
            case .reject: return ChildResult.reject.rawValue
            case .temporaryFailure: return ChildResult.temporaryFailure.rawValue
            case .discard: return ChildResult.discard.rawValue
            case .continue, .skip: break
            }
        }
        return child.has(.quitted) ? ChildResult.quitted.rawValue : nil
    }

    private func macroValue(_ name: String) -> MilterString? {
        let last = Self.order.firstIndex(of: stage) ?? Self.order.count - 1
        for code in Self.order[...last].reversed() {
            if let hit = ownMacros[code]?.last(where: { $0.name == name }) { return hit.value }
            if let hit = mtaMacros[code]?.last(where: { $0.name == name }) { return hit.value }
        }
        return nil
    }

    /// The stages whose macros accumulate, in protocol order.
    private static let order: [MilterCommandCode] = [
        .connect, .helo, .mail, .recipient, .data, .header, .endOfHeader, .body, .endOfMessage,
    ]
}
