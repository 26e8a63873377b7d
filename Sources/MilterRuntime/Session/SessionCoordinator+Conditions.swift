import Configuration
import MilterProtocol

/// Applicable conditions (runtime.md §2.8): the one place where a child's conditions are asked,
/// before it is sent a stage's command, and what a stop does to the child.
extension SessionCoordinator {
    /// Whether child `index` gets `command` at `stage`, as its applicable conditions decide
    /// (from the condition at position `first` on): asked for every eligible child right before
    /// it is sent a broadcast command (including children that negotiated not to get the event)
    /// and before each message command the head child is given. The first condition that stops
    /// wins; macros a condition sets are sent to this child with the stage's `D` packet.
    ///
    /// The built-in conditions decide at connect, envelope-from, envelope-recipient and DATA
    /// (a stop is for the stage's default scope); the DNSBL ones at connect, once the session's
    /// look-up answered; the configuration's own (rules, Lua) at all nine stages.
    mutating func admission(for index: Int, _ command: MilterCommand, at stage: ReplyStage, from first: Int = 0)
        -> Admission
    {
        let conditions = children[index].definition.conditions
        guard first < conditions.count, let conditionStage = stage.conditionStage else { return .apply }
        let builtInStage: Bool
        switch stage {
        case .broadcast(.connect), .broadcast(.envelopeFrom), .broadcast(.envelopeRecipient), .broadcast(.data):
            builtInStage = true
        case .broadcast(.helo), .broadcast(.unknown), .message:
            builtInStage = false
        }
        var context: ConditionContext?
        for position in first..<conditions.count {
            let condition = conditions[position]
            let decision: Admission
            switch condition.rule {
            case .custom(let program):
                decision = decide(program, named: condition.name, for: index, command, at: conditionStage)
            case .dnsbl(let applyWhenListed):
                guard case .connect(_, let address) = command else { continue }
                guard let verdict = dnsblVerdict(for: address) else { return .awaitDNSBL(next: position) }
                switch RuleEvaluator.decideDNSBL(applyWhenListed: applyWhenListed, verdict: verdict) {
                case .apply: decision = .apply
                case .stop(let scope): decision = .stop(scope)
                }
            case .never:
                continue
            case .authenticated, .unauthenticated, .remoteNetwork, .s25r, .sendmailCompatible, .stressNotify,
                .noStress, .trust, .restrictAccounts:
                guard builtInStage else { continue }
                let built = context ?? conditionContext(for: index, upTo: stage.code)
                context = built
                let outcome = builtInOutcome(condition, command, context: built)
                addConditionMacros(outcome.macros, to: index, stage: stage.code)
                if outcome.restrictedRecipient { children[index].sawRestrictedRecipient = true }
                decision = outcome.stop ? .stop(conditionStage.defaultScope) : .apply
            }
            switch decision {
            case .apply:
                continue
            case .stop:
                if settings.detailedLogging {
                    log(
                        .info,
                        "[\(tag)] [children][stop][\(stage.name)] [\(children[index].tag)] \(condition.name): "
                            + children[index].definition.name)
                }
                return decision
            case .fail, .awaitDNSBL:
                return decision
            }
        }
        return .apply
    }

    /// What a built-in condition says about `command`.
    func builtInOutcome(_ condition: ApplicableCondition, _ command: MilterCommand, context: ConditionContext)
        -> ConditionOutcome
    {
        switch command {
        case .connect(let host, let address): return condition.atConnect(host: host, address: address, context: context)
        case .mail(let sender, _): return condition.atEnvelopeFrom(sender: sender, context: context)
        case .recipient(let recipient, _): return condition.atEnvelopeRecipient(recipient, context: context)
        case .data: return condition.atData(context: context)
        case .helo, .unknown, .negotiate, .macro, .header, .endOfHeader, .body, .endOfMessage, .abort, .quit,
            .quitNewConnection:
            return ConditionOutcome()
        }
    }

    /// A condition stopped child `index` at `stage` for `scope`: for the session it is sent
    /// ABORT and QUIT (before MAIL a stop is always for the session); for the message it leaves
    /// the message (ABORT once it was given any of it; at envelope-from it simply skips the
    /// message); for the recipient it is not sent this recipient. What the stop counts as in the
    /// merged answer is `ReplyMerger.stopped(at:)`.
    mutating func stopChild(_ index: Int, scope: StopScope, at stage: ReplyStage) {
        switch (stage, scope) {
        case (.broadcast(.connect), _), (.broadcast(.helo), _), (_, .session):
            actions.append(.sendToChild(index, [.abort], timer: nil))
            quitChild(index, outcome: .stopped)
        case (.broadcast(.envelopeRecipient), .recipient), (.broadcast(.unknown), _):
            break
        case (.broadcast(.envelopeFrom), _):
            leaveMessage(index, outcome: .stopped, sendAbort: false)
        case (_, .message), (_, .recipient):
            leaveMessage(index, outcome: .stopped, sendAbort: true)
        }
    }

    /// A condition's script failed for child `index` at `stage`: the reason is logged (once:
    /// the child is out of the session after it) and the child quits as failed; the caller
    /// counts its fallback for the stage, as for a child that broke.
    mutating func failByCondition(_ index: Int, reason: String, at stage: ReplyStage) {
        let child = children[index]
        log(
            .error,
            "[\(tag)] [children][error][\(stage.name)][\(child.definition.fallbackStatus.nick)] [\(child.tag)] "
                + "\(reason): \(child.definition.name)")
        quitChild(index, outcome: .failed)
    }

    /// What conditions see for child `index` at `stage` (macros cumulative up to it).
    func conditionContext(for index: Int, upTo stage: MilterCommandCode) -> ConditionContext {
        let order: [MilterCommandCode] = [
            .connect, .helo, .mail, .recipient, .data, .header, .endOfHeader, .body, .endOfMessage,
        ]
        let stages = order.prefix { $0 != stage } + [stage]
        let own = children[index].conditionMacros
        let mta = mtaMacros
        return ConditionContext(
            macro: { name in
                let wanted = Macro.normalizedName(name)
                for code in stages.reversed() {
                    if let hit = own[code]?.last(where: { $0.name == wanted }) { return hit.value }
                    if let hit = mta[code]?.last(where: { $0.name == wanted }) { return hit.value }
                }
                return nil
            },
            processingSessions: environment.processingSessions(),
            sawRestrictedRecipient: children[index].sawRestrictedRecipient,
            localEndpoint: environment.localEndpoint)
    }

    /// Adds condition macros for a child at a stage.
    mutating func addConditionMacros(_ macros: [Macro], to index: Int, stage: MilterCommandCode) {
        if macros.isEmpty { return }
        children[index].conditionMacros[stage, default: []].append(contentsOf: macros)
    }
}
