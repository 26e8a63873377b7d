import Configuration
import MilterProtocol

/// An applicable condition as the runtime evaluates it: the shipped conditions of
/// detection.md §6, natively, with their parameters from the configuration.
public struct ApplicableCondition: Hashable, Sendable {
    /// What the condition checks.
    public enum Rule: Hashable, Sendable {
        /// Apply only to SMTP-AUTH sessions (stops at MAIL otherwise).
        case authenticated
        /// Apply only to sessions without SMTP AUTH.
        case unauthenticated
        /// Apply only to remote clients (stops at connect otherwise).
        case remoteNetwork(RemoteNetworkParameters)
        /// Apply only to clients whose host name looks dynamic (S25R).
        case s25r(S25RParameters)
        /// Set Sendmail's macros when the MTA is Postfix; never stops.
        case sendmailCompatible
        /// Set `{stress}=yes` under stress; never stops. The threshold counts sessions; 0 = never.
        case stressNotify(threshold: Int)
        /// Apply only when not under stress.
        case noStress(threshold: Int)
        /// Set `{trusted_domain}=yes` for trusted sender domains; never stops.
        case trust(TrustParameters)
        /// Apply only to messages whose every recipient is listed.
        case restrictAccounts(RestrictAccountsParameters)
        /// `DNSBL Listed` (`applyWhenListed`) or `Not DNSBL Listed`: decided at connect by the
        /// session's DNSBL look-up, asynchronously.
        case dnsbl(applyWhenListed: Bool)
        /// A condition of the configuration's own: declarative rules and/or a Lua script,
        /// decided at any of the nine stages.
        case custom(ConditionProgram)
        /// Never stops (a condition defined with a description only).
        case never
    }

    /// The condition's name.
    public var name: String
    /// What it checks.
    public var rule: Rule

    /// A condition.
    public init(name: String, rule: Rule) {
        self.name = name
        self.rule = rule
    }
}

/// What a condition decided for one child at one stage.
struct ConditionOutcome {
    /// Do not apply the child (stage-dependent meaning, runtime.md §2.8).
    var stop = false
    /// Macros to set for the child at this stage.
    var macros: [Macro] = []
    /// A Restrict Accounts condition saw a recipient outside its list.
    var restrictedRecipient = false
}

/// The facts conditions look at, besides the stage's own arguments.
struct ConditionContext {
    /// Cumulative macro lookup for the child (names without braces).
    var macro: (String) -> MilterString?
    /// Sessions in progress in this manager.
    var processingSessions: Int
    /// Whether the child already saw a recipient outside a Restrict Accounts list.
    var sawRestrictedRecipient: Bool
    /// Reads the kernel's TCP table to find the local end of the SMTP connection.
    var localEndpoint: (ConnectAddress) -> (address: String, port: UInt16)?

    var isPostfix: Bool { macro("v")?.string.lowercased().contains("postfix") ?? false }

    var isAuthenticated: Bool {
        !(macro("auth_type")?.isEmpty ?? true) || !(macro("auth_authen")?.isEmpty ?? true)
    }
}

extension ApplicableCondition {
    func atConnect(host: MilterString, address: ConnectAddress, context: ConditionContext) -> ConditionOutcome {
        var outcome = ConditionOutcome()
        switch rule {
        case .remoteNetwork(let parameters):
            outcome.stop = !NetworkClass.isRemote(address, parameters: parameters)
        case .s25r(let parameters):
            outcome.stop = !S25R.applies(host: host.string, address: address, parameters: parameters)
        case .noStress(let threshold):
            outcome.stop = threshold > 0 && context.processingSessions >= threshold
        case .stressNotify(let threshold):
            if threshold > 0 && context.processingSessions >= threshold {
                outcome.macros.append(Macro(name: "stress", value: "yes"))
            }
        case .sendmailCompatible:
            guard context.isPostfix, context.macro("if_addr") == nil,
                let local = context.localEndpoint(address)
            else { break }
            outcome.macros.append(Macro(name: "if_addr", value: MilterString(local.address)))
            if context.macro("daemon_port") == nil {
                outcome.macros.append(Macro(name: "daemon_port", value: MilterString(String(local.port))))
            }
        case .authenticated, .unauthenticated, .trust, .restrictAccounts, .never, .dnsbl, .custom:
            break
        }
        return outcome
    }

    func atEnvelopeFrom(sender: MilterString, context: ConditionContext) -> ConditionOutcome {
        var outcome = ConditionOutcome()
        switch rule {
        case .authenticated:
            outcome.stop = !context.isAuthenticated
        case .unauthenticated:
            outcome.stop = context.isAuthenticated
        case .trust(let parameters):
            if let domain = Self.domain(ofAngleAddress: sender.string),
                parameters.envelopeFromDomains.contains(where: { $0.value.matches(domain, as: .hostName) })
            {
                outcome.macros.append(Macro(name: "trusted_domain", value: "yes"))
            }
        case .sendmailCompatible:
            if context.isPostfix && context.macro("i") == nil {
                outcome.macros.append(Macro(name: "i", value: "dummy-id"))
            }
        case .remoteNetwork, .s25r, .noStress, .stressNotify, .restrictAccounts, .never, .dnsbl, .custom:
            break
        }
        return outcome
    }

    func atEnvelopeRecipient(_ recipient: MilterString, context: ConditionContext) -> ConditionOutcome {
        var outcome = ConditionOutcome()
        if case .restrictAccounts(let parameters) = rule {
            var account = recipient.string
            if account.hasPrefix("<") && account.hasSuffix(">") { account = String(account.dropFirst().dropLast()) }
            if !parameters.accounts.contains(where: { $0.matches(account, as: .emailAddress) }) {
                outcome.stop = true
                outcome.restrictedRecipient = true
            }
        }
        return outcome
    }

    func atData(context: ConditionContext) -> ConditionOutcome {
        var outcome = ConditionOutcome()
        if case .restrictAccounts = rule, context.sawRestrictedRecipient {
            outcome.stop = true
        }
        return outcome
    }

    /// `domain` of `<user@domain>`, lower-cased; nil for other shapes.
    static func domain(ofAngleAddress address: String) -> String? {
        guard address.hasPrefix("<"), address.hasSuffix(">"), let at = address.lastIndex(of: "@") else { return nil }
        let domain = address[address.index(after: at)..<address.index(before: address.endIndex)]
        return domain.isEmpty ? nil : domain.lowercased()
    }
}
