/// Why a child's negotiation reply cannot be used.
public enum NegotiationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The child answered with a newer version than it was offered.
    case newerVersionRequested(offered: UInt32, requested: UInt32)
    /// The child answered with a version below 2.
    case unsupportedVersion(UInt32)

    /// One line, as the original logs it.
    public var description: String {
        switch self {
        case .newerVersionRequested(let offered, let requested):
            return "unsupported newer version is requested: \(offered) < \(requested)"
        case .unsupportedVersion(let version): return "unsupported protocol version: \(version)"
        }
    }
}

/// The negotiation rules of runtime.md §1.5 as pure functions.
public enum NegotiationRules {
    /// What the manager offers every child: the MTA's option, version capped at 6, no macro
    /// requests. Each child gets a pristine copy (never a partially merged one).
    public static func childOffer(fromMTA mta: Negotiation) -> Negotiation {
        Negotiation(
            version: min(mta.version, Negotiation.maximumVersion), actions: mta.actions, steps: mta.steps)
    }

    /// A child's own session option from what it was offered and what it answered:
    /// the child's version, and actions and steps both offered and requested.
    public static func childSession(offered: Negotiation, reply: Negotiation) throws(NegotiationError)
        -> Negotiation
    {
        guard reply.version >= Negotiation.minimumVersion else { throw .unsupportedVersion(reply.version) }
        guard reply.version <= offered.version else {
            throw .newerVersionRequested(offered: offered.version, requested: reply.version)
        }
        return Negotiation(
            version: reply.version, actions: offered.actions.intersection(reply.actions),
            steps: offered.steps.intersection(reply.steps), macroRequests: reply.macroRequests)
    }

    /// What a plain milter answers by default (milter-test-client): the offer minus
    /// `envelope-recipient-rejected`, `header-value-with-leading-space` and every NO flag.
    public static func defaultMilterAnswer(offered: Negotiation) -> Negotiation {
        var steps = offered.steps.subtracting(ProtocolFlags.noMask)
        steps.subtract([.recipientRejected, .headerValueWithLeadingSpace])
        return Negotiation(version: offered.version, actions: offered.actions, steps: steps)
    }

    /// Which of the stored macros to send a child at a stage: all of them when the child sent
    /// no list for that stage, else only the requested ones that exist (in the child's order).
    /// (The original sent nothing at all for a stage missing from a child's list, which hides
    /// the MTA's default macros from it; libmilter semantics say "defaults" there.)
    public static func macros(
        toSend available: [Macro], stage: MilterCommandCode, childSession: Negotiation
    ) -> [Macro] {
        guard let macroStage = MacroStage(command: stage),
            let requested = childSession.requestedSymbols(for: macroStage)
        else { return available }
        var selected: [Macro] = []
        for symbol in requested {
            let name = Macro.normalizedName(symbol)
            if let macro = available.first(where: { $0.name == name }), !selected.contains(macro) {
                selected.append(macro)
            }
        }
        return selected
    }
}

/// Merges the children's negotiation results into the manager's answer to the MTA
/// (runtime.md §1.5 steps 4-5, with the RECOMMEND fixes).
public struct NegotiationMerger: Sendable {
    /// The MTA's option as received.
    public let mta: Negotiation
    private var actions: ActionFlags
    private var commonSteps: ProtocolFlags
    private var requestedYes: ProtocolFlags = []
    private var macroRequests: [MacroStage: [String]] = [:]
    private var stagesWithoutList: Set<MacroStage> = []
    private var childCount = 0

    /// Starts from the MTA's option.
    public init(mta: Negotiation) {
        self.mta = mta
        actions = mta.actions
        commonSteps = mta.steps
    }

    /// Adds one child's session option (the result of `NegotiationRules.childSession`).
    public mutating func add(child: Negotiation) {
        childCount += 1
        actions.formUnion(child.actions)
        commonSteps.formIntersection(child.steps)
        requestedYes.formUnion(child.steps.intersection(ProtocolFlags.yesMask))
        for stage in MacroStage.allCases {
            guard let symbols = child.requestedSymbols(for: stage) else {
                stagesWithoutList.insert(stage)
                continue
            }
            var merged = macroRequests[stage] ?? []
            for symbol in symbols where !merged.contains(symbol) { merged.append(symbol) }
            macroRequests[stage] = merged
        }
    }

    /// The answer to the MTA: its version capped at 6; the union of actions; no NO_EVENT or
    /// NO_REPLY flag (the manager needs every event for conditions and later children, and
    /// replies to every command); the YES flags the MTA offered and some child asked for;
    /// unknown bits only when every child asked for them; the children's macro requests
    /// per stage. Where some child wants the defaults of a stage and another asked for a list,
    /// the stage's default Postfix macros are added so the first child still gets them.
    public func reply() -> Negotiation {
        let known = ProtocolFlags.all
        let yes = mta.steps.intersection(ProtocolFlags.yesMask).intersection(requestedYes)
        let unknown = childCount > 0 ? commonSteps.subtracting(known) : []
        var requests: [MacroRequest] = []
        for stage in MacroStage.allCases {
            guard var symbols = macroRequests[stage] else { continue }
            if stagesWithoutList.contains(stage) {
                for symbol in PostfixMacroDefaults.symbols(for: stage) where !symbols.contains(symbol) {
                    symbols.append(symbol)
                }
            }
            requests.append(MacroRequest(stage: stage, symbols: symbols))
        }
        return Negotiation(
            version: min(mta.version, Negotiation.maximumVersion), actions: actions,
            steps: yes.union(unknown), macroRequests: requests)
    }
}

/// Postfix's default macro lists per stage (`milter_*_macros` in postconf(5)).
public enum PostfixMacroDefaults {
    /// The names Postfix sends at `stage` unless a milter asks for others.
    public static func symbols(for stage: MacroStage) -> [String] {
        switch stage {
        case .connect: return ["j", "{daemon_name}", "{daemon_addr}", "v", "_"]
        case .helo: return ["{tls_version}", "{cipher}", "{cipher_bits}", "{cert_subject}", "{cert_issuer}"]
        case .envelopeFrom:
            return [
                "i", "{auth_type}", "{auth_authen}", "{auth_author}", "{mail_addr}", "{mail_host}", "{mail_mailer}",
            ]
        case .envelopeRecipient: return ["i", "{rcpt_addr}", "{rcpt_host}", "{rcpt_mailer}"]
        case .data: return ["i"]
        case .endOfMessage: return ["i"]
        case .endOfHeader: return ["i"]
        }
    }
}
