import Configuration
import MilterProtocol
import MilterScripting

/// The configuration's own conditions (declarative rules, then the Lua script) and the DNSBL
/// verdict, as `admission(for:_:at:from:)` asks them.
extension SessionCoordinator {
    /// A custom condition at `stage` for child `index`: its first applying rule decides; when
    /// none applies, its script's function for the stage (if any); otherwise the child is
    /// applied. A failing script is `.fail` (the child's fallback applies).
    mutating func decide(
        _ program: ConditionProgram, named name: String, for index: Int, _ command: MilterCommand,
        at stage: ConditionStage
    ) -> Admission {
        conditionFacts.note(command)
        let hasRules = program.rules.hasRules(at: stage)
        let script = program.script
        let scripted = script.map { luaState?.defines(script: $0, stage: stage) ?? true } ?? false
        guard hasRules || scripted else { return .apply }
        conditionFacts.bind(
            milter: children[index].definition.name, stage: command.code, mtaMacros: mtaMacros,
            ownMacros: children[index].conditionMacros, children: children,
            sessions: environment.processingSessions())
        defer { conditionFacts.unbind() }
        if hasRules, let decision = program.rules.decide(at: stage, facts: conditionFacts) {
            switch decision {
            case .apply: return .apply
            case .stop(let scope): return .stop(scope)
            }
        }
        guard let script, scripted else { return .apply }
        guard let lua = luaState else {
            return .fail(reason: "condition \"\(name)\": \(program.scriptPath): no Lua state (\(luaUnavailable))")
        }
        switch lua.call(script: script, Self.stageArguments(command), facts: conditionFacts) {
        case .stop: return .stop(stage.defaultScope)
        case .apply, .notDefined: return .apply
        case .failed(let failure):
            if failure == .memory { lua.collectGarbage() }
            return .fail(reason: "condition \"\(name)\": \(program.scriptPath): \(failure)")
        }
    }

    /// The arguments of a stage's Lua function.
    static func stageArguments(_ command: MilterCommand) -> StageArguments {
        switch command {
        case .connect(let host, let address):
            return .connect(host: host.string, address: address.ipAddress ?? address.specDescription)
        case .helo(let name): return .helo(name.string)
        case .mail(let sender, _): return .envelopeFrom(sender.string)
        case .recipient(let recipient, _): return .envelopeRecipient(recipient.string)
        case .data: return .data
        case .header(let name, let value): return .header(name: name.string, value: value.string)
        case .endOfHeader: return .endOfHeader
        case .body(let chunk): return .body(Array(chunk.readableBytesView))
        case .endOfMessage: return .endOfMessage
        case .unknown, .negotiate, .macro, .abort, .quit, .quitNewConnection: return .data
        }
    }

    /// The session's DNSBL verdict for `address`; nil while it is being looked up (the look-up
    /// is asked for once). Peers without an IP address are listed by no service.
    mutating func dnsblVerdict(for address: ConnectAddress) -> DNSBLVerdict? {
        if let dnsbl { return dnsbl }
        guard address.ipAddress != nil else {
            let verdict = DNSBLVerdict(listedBy: [], timedOut: [], timeoutResult: .notListed)
            dnsbl = verdict
            return verdict
        }
        if dnsblRequested == nil {
            dnsblRequested = address
            actions.append(.checkDNSBL(address))
        }
        return nil
    }

    /// The DNSBL look-up of `client` answered: the children that waited for it at connect are
    /// admitted (their remaining conditions asked) and the connect answer goes out once all are
    /// in. An answer for another client (a connection before `K`) is ignored.
    public mutating func dnsblChecked(_ verdict: DNSBLVerdict, for client: ConnectAddress) {
        guard dnsblRequested == client, dnsbl == nil else { return }
        dnsbl = verdict
        if settings.detailedLogging {
            let listed =
                verdict.listedBy.isEmpty ? "not listed" : "listed by " + verdict.listedBy.joined(separator: ", ")
            let timedOut =
                verdict.timedOut.isEmpty ? "" : "; no answer from " + verdict.timedOut.joined(separator: ", ")
            log(.info, "[\(tag)] [dnsbl] \(listed)\(timedOut) -> \(verdict.isListed ? "listed" : "not listed")")
        }
        guard case .broadcast(var round) = state, round.stage == .connect, !round.dnsblWaits.isEmpty else { return }
        state = .modifying
        let waits = round.dnsblWaits
        round.dnsblWaits.removeAll()
        for wait in waits {
            round.pending -= 1
            guard children[wait.child].isAlive else {
                round.merger.add(ReplyMerger.failed(fallback: children[wait.child].definition.fallbackStatus))
                continue
            }
            admit(&round, wait.child, from: wait.next)
        }
        state = round.pending == 0 ? finishBroadcast(round) : .broadcast(round)
        drainQueue()
    }

    /// Why the Lua state is missing (for the failure log).
    var luaUnavailable: String { "the condition scripts could not be loaded at (re)load; see the log" }
}
