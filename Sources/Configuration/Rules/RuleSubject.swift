/// What a declarative rule looks at.
public enum RuleSubject: Hashable, Sendable {
    /// The client's IP address (connect's address; unix and unknown peers have none).
    case clientAddress
    /// The client's host name as the MTA gives it at connect (`[192.0.2.1]` when unresolved).
    case clientHost
    /// The HELO/EHLO name.
    case helo
    /// The envelope sender, as the MTA sends it (`<user@example.com>`).
    case sender
    /// The envelope recipient being checked.
    case recipient
    /// A macro's value (name without braces); an absent macro matches nothing.
    case macro(String)
    /// The value of a header with this name (case-insensitive), at the header stage.
    case header(String)
    /// The result so far of another child milter of the session.
    case child(String)

    /// The option name in `condition.stop_if(...)`.
    public var optionName: String {
        switch self {
        case .clientAddress: return "client_address"
        case .clientHost: return "client_host"
        case .helo: return "helo"
        case .sender: return "sender"
        case .recipient: return "recipient"
        case .macro: return "macro"
        case .header: return "header"
        case .child: return "child"
        }
    }

    /// The first stage at which the subject is known (a rule at an earlier stage is an error).
    public var firstStage: ConditionStage {
        switch self {
        case .clientAddress, .clientHost, .macro, .child: return .connect
        case .helo: return .helo
        case .sender: return .envelopeFrom
        case .recipient: return .envelopeRecipient
        case .header: return .header
        }
    }

    /// The stages at which the subject is known: a recipient only at RCPT, a header only at the
    /// header stage, the others from their first stage on.
    public func isKnown(at stage: ConditionStage) -> Bool {
        switch self {
        case .recipient: return stage == .envelopeRecipient
        case .header: return stage == .header
        case .clientAddress, .clientHost, .helo, .sender, .macro, .child: return stage >= firstStage
        }
    }

    /// The stage a rule gets when it names none: the subject's first stage (a macro or a
    /// child's result needs an explicit stage).
    public var impliedStage: ConditionStage? {
        switch self {
        case .macro, .child: return nil
        case .clientAddress, .clientHost, .helo, .sender, .recipient, .header: return firstStage
        }
    }

    /// How table keys are formed for this subject (access(5)).
    public var lookupKind: LookupKeyKind {
        switch self {
        case .clientAddress: return .address
        case .clientHost, .helo: return .hostName
        case .sender, .recipient: return .emailAddress
        case .macro, .header, .child: return .exact
        }
    }

    /// Whether exact strings compare without regard to case (names and addresses do; macro and
    /// header values do not).
    public var foldsCase: Bool {
        switch self {
        case .clientAddress, .clientHost, .helo, .sender, .recipient: return true
        case .macro, .header, .child: return false
        }
    }
}

/// Another child's result so far, as the original's `context.children[name].reject?` etc.
public enum ChildResult: String, Hashable, Sendable, CaseIterable {
    /// It accepted (the session or the message).
    case accept
    /// It rejected.
    case reject
    /// It answered with a temporary failure.
    case temporaryFailure = "temporary_failure"
    /// It discarded the message.
    case discard
    /// It is out of the session (quit, stopped for the session, or failed).
    case quitted
}
