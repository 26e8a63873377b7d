import Configuration
import MilterRuntime
import Testing

/// The declarative rules of a condition evaluated per stage, table-driven: facts in,
/// decision out. The rules come from the configuration language, so what is tested is what
/// an administrator writes.
@Suite struct RuleEvaluatorTests {
    static let rules = """
        define_applicable_condition("Under test") do |condition|
          condition.continue_if client_address: ["192.0.2.77"]
          condition.stop_if client_address: ["192.0.2.0/24", "2001:db8::/32"]
          condition.stop_if client_host: [/\\.internal\\z/]
          condition.stop_if helo: ["LOCALHOST"]
          condition.stop_unless stage: :envelope_from, macro: "{auth_authen}", value: [/./], scope: :session
          condition.stop_if recipient: ["postmaster@example.com"]
          condition.stop_if recipient: [/\\A<abuse@/], scope: :message
          condition.stop_if header: "X-Spam-Flag", value: ["YES"]
          condition.stop_if stage: :end_of_header, child: "spamass-milter", result: [:reject, :discard]
          condition.continue_unless stage: :data, sender: [/@example\\.org>\\z/]
          condition.stop_if stage: :data, macro: "daemon_name", value: ["submission"]
        end
        """

    static let evaluator: RuleEvaluator = {
        let result = ConfigurationLoader(root: "/nonexistent", loadPaths: [], platform: .unknown, detector: nil)
            .load(text: rules, file: "/etc/milter-manager/milter-manager.conf")
        guard case .custom(let custom)? = result.configuration.applicableCondition(named: "Under test")?.kind,
            result.errors.isEmpty
        else { fatalError("\(result.errors)") }
        return RuleEvaluator(custom)
    }()

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var stage: ConditionStage
        var facts: StageFacts
        var decision: ConditionDecision?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "continue_if wins before a later stop", stage: .connect,
            facts: StageFacts(clientAddress: "192.0.2.77"), decision: .apply),
        Case(
            name: "network", stage: .connect, facts: StageFacts(clientAddress: "192.0.2.5"), decision: .stop(.session)),
        Case(
            name: "IPv6 network", stage: .connect, facts: StageFacts(clientAddress: "2001:db8::9"),
            decision: .stop(.session)),
        Case(
            name: "host regex", stage: .connect,
            facts: StageFacts(clientAddress: "203.0.113.1", clientHost: "a.internal"), decision: .stop(.session)),
        Case(
            name: "nothing applies", stage: .connect,
            facts: StageFacts(clientAddress: "203.0.113.1", clientHost: "mx.example.net"), decision: nil),
        Case(name: "unix peer, no address", stage: .connect, facts: StageFacts(clientHost: "localhost"), decision: nil),
        Case(name: "HELO folds case", stage: .helo, facts: StageFacts(helo: "localhost"), decision: .stop(.session)),
        Case(
            name: "unauthenticated stops for the session", stage: .envelopeFrom, facts: StageFacts(sender: "<a@b>"),
            decision: .stop(.session)),
        Case(
            name: "authenticated goes on", stage: .envelopeFrom,
            facts: StageFacts(sender: "<a@b>", macros: ["auth_authen": "alice"]), decision: nil),
        Case(
            name: "empty macro is no match", stage: .envelopeFrom, facts: StageFacts(macros: ["auth_authen": ""]),
            decision: .stop(.session)),
        Case(
            name: "recipient in angle brackets, case folded", stage: .envelopeRecipient,
            facts: StageFacts(recipient: "POSTMASTER@example.com"), decision: .stop(.recipient)),
        Case(
            name: "recipient stops the message", stage: .envelopeRecipient,
            facts: StageFacts(recipient: "<abuse@example.com>"), decision: .stop(.message)),
        Case(
            name: "other recipient", stage: .envelopeRecipient, facts: StageFacts(recipient: "<bob@example.com>"),
            decision: nil),
        Case(
            name: "header by name, any case", stage: .header,
            facts: StageFacts(header: (name: "x-spam-flag", value: "YES")), decision: .stop(.message)),
        Case(
            name: "header value is exact", stage: .header,
            facts: StageFacts(header: (name: "X-Spam-Flag", value: "yes")), decision: nil),
        Case(
            name: "other header", stage: .header, facts: StageFacts(header: (name: "Subject", value: "YES")),
            decision: nil),
        Case(
            name: "child rejected", stage: .endOfHeader, facts: StageFacts(childResults: ["spamass-milter": [.reject]]),
            decision: .stop(.message)),
        Case(
            name: "child accepted", stage: .endOfHeader, facts: StageFacts(childResults: ["spamass-milter": [.accept]]),
            decision: nil),
        Case(name: "unknown child", stage: .endOfHeader, facts: StageFacts(), decision: nil),
        Case(
            name: "continue_unless: sender from elsewhere", stage: .data, facts: StageFacts(sender: "<a@example.net>"),
            decision: .apply),
        Case(
            name: "continue_unless: sender matches, next rule", stage: .data,
            facts: StageFacts(sender: "<a@example.org>", macros: ["daemon_name": "submission"]),
            decision: .stop(.message)),
        Case(name: "no rules at body", stage: .body, facts: StageFacts(clientAddress: "192.0.2.5"), decision: nil),
    ]

    @Test(arguments: cases)
    func decides(_ testCase: Case) {
        #expect(Self.evaluator.decide(at: testCase.stage, facts: testCase.facts) == testCase.decision)
    }

    @Test func stagesWithRulesAreKnown() {
        #expect(
            ConditionStage.allCases.filter { Self.evaluator.hasRules(at: $0) } == [
                .connect, .helo, .envelopeFrom, .envelopeRecipient, .data, .header, .endOfHeader,
            ])
    }

    @Test(arguments: [
        (true, ["zen.example"], [], DNSBLTimeoutResult.notListed, ConditionDecision.apply),
        (true, [], [], .notListed, .stop(.session)),
        (true, [], ["zen.example"], .notListed, .stop(.session)),
        (true, [], ["zen.example"], .listed, .apply),
        (false, ["zen.example"], [], .notListed, .stop(.session)),
        (false, [], [], .notListed, .apply),
        (false, [], ["zen.example"], .listed, .stop(.session)),
    ])
    func dnsblVerdicts(
        _ applyWhenListed: Bool, _ listedBy: [String], _ timedOut: [String], _ result: DNSBLTimeoutResult,
        _ decision: ConditionDecision
    ) {
        let verdict = DNSBLVerdict(listedBy: listedBy, timedOut: timedOut, timeoutResult: result)
        #expect(RuleEvaluator.decideDNSBL(applyWhenListed: applyWhenListed, verdict: verdict) == decision)
    }
}
