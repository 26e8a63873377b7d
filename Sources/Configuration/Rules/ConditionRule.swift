/// One declarative rule of a condition: at `stage`, look at `subject`; when it matches one of
/// `matchers` (or, `negated`, matches none), the rule applies and has its `effect`.
///
/// Written `condition.stop_if(...)`, `condition.stop_unless(...)`, `condition.continue_if(...)`
/// or `condition.continue_unless(...)`; a condition's rules at one stage are tried in order
/// and the first that applies decides.
public struct ConditionRule: Hashable, Sendable {
    /// When.
    public var stage: ConditionStage
    /// What it looks at.
    public var subject: RuleSubject
    /// What counts as a match (any one of them).
    public var matchers: [RuleMatcher]
    /// True for `_unless`: the rule applies when nothing matches.
    public var negated: Bool
    /// What it does when it applies.
    public var effect: RuleEffect
    /// Where it was written.
    public var definedAt: Provenance

    /// A rule.
    public init(
        stage: ConditionStage, subject: RuleSubject, matchers: [RuleMatcher], negated: Bool, effect: RuleEffect,
        definedAt: Provenance
    ) {
        self.stage = stage
        self.subject = subject
        self.matchers = matchers
        self.negated = negated
        self.effect = effect
        self.definedAt = definedAt
    }

    /// The method that writes it: `stop_if`, `stop_unless`, `continue_if`, `continue_unless`.
    public var methodName: String {
        switch effect {
        case .stop: return negated ? "stop_unless" : "stop_if"
        case .continue: return negated ? "continue_unless" : "continue_if"
        }
    }
}

/// What an applying rule does.
public enum RuleEffect: Hashable, Sendable {
    /// Stop the milter for the scope (a scope the stage allows).
    case stop(StopScope)
    /// Apply the milter: the condition's later rules at this stage are not tried.
    case `continue`
}
