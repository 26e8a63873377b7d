import Configuration

/// Evaluates a condition's declarative rules at one stage, and the DNSBL conditions' verdicts:
/// pure functions of the stage and its facts, so that the session makes one call per stage.
///
/// A condition's rules at a stage are tried in order; the first whose match holds (or, for an
/// `_unless` rule, does not hold) decides: `stop_*` stops for its scope, `continue_*` applies
/// the child. When none applies the result is nil: the condition's Lua script, if any,
/// decides next, and otherwise the child is applied.
public struct RuleEvaluator: Hashable, Sendable {
    /// The rules, indexed by stage (in `ConditionStage.allCases` order).
    private let rulesByStage: [[ConditionRule]]

    /// An evaluator for `condition`'s rules.
    public init(_ condition: CustomCondition) {
        rulesByStage = ConditionStage.allCases.map { stage in condition.rules.filter { $0.stage == stage } }
    }

    /// Whether any rule is written for `stage` (a session can skip gathering facts when not).
    public func hasRules(at stage: ConditionStage) -> Bool { !rulesByStage[stage.ordinal].isEmpty }

    /// The decision of the first applying rule at `stage`, nil when none applies.
    public func decide<Facts: ConditionFacts>(at stage: ConditionStage, facts: Facts) -> ConditionDecision? {
        for rule in rulesByStage[stage.ordinal] where Self.matches(rule, facts: facts) != rule.negated {
            switch rule.effect {
            case .stop(let scope): return .stop(scope)
            case .continue: return .apply
            }
        }
        return nil
    }

    /// Whether one of the rule's matchers matches the subject's value; an unknown subject
    /// (a macro that is absent, a header at another stage) matches nothing.
    static func matches<Facts: ConditionFacts>(_ rule: ConditionRule, facts: Facts) -> Bool {
        let subject = rule.subject
        let value: String?
        switch subject {
        case .clientAddress: value = facts.clientAddress
        case .clientHost: value = facts.clientHost
        case .helo: value = facts.helo
        case .sender: value = facts.sender
        case .recipient: value = facts.recipient
        case .macro(let name): value = facts.macro(name)
        case .header(let name):
            guard let header = facts.header, header.name.lowercased() == name.lowercased() else { return false }
            value = header.value
        case .child(let name):
            return rule.matchers.contains { matcher in
                if case .childResult(let result) = matcher { return facts.child(name, has: result) }
                return false
            }
        }
        guard let value else { return false }
        if case .clientAddress = subject {
            guard let bytes = IPAddressRange.parseAddress(value) else { return false }
            return rule.matchers.contains { $0.matches(address: value, bytes: bytes) }
        }
        let kind = subject.lookupKind
        let foldsCase = subject.foldsCase
        return rule.matchers.contains { $0.matches(value, kind: kind, foldsCase: foldsCase) }
    }

    /// The decision of `DNSBL Listed` (`listed == true`) or `Not DNSBL Listed` at connect for
    /// `verdict`: the first applies the child only to listed clients, the second only to
    /// clients no service lists; a stop is for the session.
    public static func decideDNSBL(applyWhenListed: Bool, verdict: DNSBLVerdict) -> ConditionDecision {
        verdict.isListed == applyWhenListed ? .apply : .stop(.session)
    }
}
