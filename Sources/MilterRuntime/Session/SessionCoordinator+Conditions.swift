import Configuration
import MilterProtocol

/// Applicable conditions (runtime.md §2.8): the one place where a child's conditions are asked,
/// before it is sent a stage's command, and what a stop does to the child.
extension SessionCoordinator {
    /// Whether child `index` gets `command` at `stage`, as its applicable conditions decide:
    /// asked for every eligible child right before it is sent a broadcast command (including
    /// children that negotiated not to get the event) and before each message command the head
    /// child is given. The first condition that stops wins; macros a condition sets are sent to
    /// this child with the stage's `D` packet.
    ///
    /// The built-in conditions decide at connect, envelope-from, envelope-recipient and DATA
    /// (none at helo, `unknown` or the message stages); a stop is for the stage's default scope.
    mutating func conditionDecision(for index: Int, _ command: MilterCommand, at stage: ReplyStage) -> ConditionDecision
    {
        guard !children[index].definition.conditions.isEmpty, let conditionStage = stage.conditionStage else {
            return .apply
        }
        switch stage {
        case .broadcast(.connect), .broadcast(.envelopeFrom), .broadcast(.envelopeRecipient), .broadcast(.data):
            break
        case .broadcast(.helo), .broadcast(.unknown), .message:
            return .apply
        }
        let context = conditionContext(for: index, upTo: stage.code)
        for condition in children[index].definition.conditions {
            let outcome: ConditionOutcome
            switch command {
            case .connect(let host, let address):
                outcome = condition.atConnect(host: host, address: address, context: context)
            case .mail(let sender, _): outcome = condition.atEnvelopeFrom(sender: sender, context: context)
            case .recipient(let recipient, _): outcome = condition.atEnvelopeRecipient(recipient, context: context)
            case .data: outcome = condition.atData(context: context)
            case .helo, .unknown, .negotiate, .macro, .header, .endOfHeader, .body, .endOfMessage, .abort, .quit,
                .quitNewConnection:
                outcome = ConditionOutcome()
            }
            addConditionMacros(outcome.macros, to: index, stage: stage.code)
            if outcome.restrictedRecipient { children[index].sawRestrictedRecipient = true }
            if outcome.stop {
                if settings.detailedLogging {
                    log(
                        .info,
                        "[\(tag)] [children][stop][\(stage.name)] [\(children[index].tag)] \(condition.name): "
                            + children[index].definition.name)
                }
                return .stop(conditionStage.defaultScope)
            }
        }
        return .apply
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
