/// What an applicable condition does; the runtime evaluates each kind natively
/// (detection.md section 6). The shipped conditions are built in, so no Ruby is needed.
public enum ConditionKind: Hashable, Sendable {
    /// `Authenticated`: apply only to SMTP-AUTH sessions.
    case authenticated
    /// `Unauthenticated`: apply only to sessions without SMTP AUTH.
    case unauthenticated
    /// `DNSBL Listed`: apply only when the client is listed (parameters: `dnsbl`).
    case dnsblListed
    /// `Not DNSBL Listed`: apply only when the client is not listed (parameters: `dnsbl`).
    case notDNSBLListed
    /// `Remote Network`: apply only to remote clients (parameters: `remoteNetwork`).
    case remoteNetwork
    /// `S25R`: apply only to clients that look like dynamic hosts (parameters: `s25r`).
    case s25r
    /// `Sendmail Compatible`: sets Sendmail's macros for Postfix; never stops.
    case sendmailCompatible
    /// `Stress Notify`: sets `{stress}=yes` when stressed; never stops (parameters: `stress`).
    case stressNotify
    /// `No Stress`: apply only when not stressed (parameters: `stress`).
    case noStress
    /// `Trust`: sets `{trusted_domain}=yes` for trusted senders; never stops (parameters: `trust`).
    case trust
    /// `restrict_accounts_by_list`: apply only to messages for the listed recipients.
    case restrictAccounts(RestrictAccountsParameters)
    /// Defined in the configuration: declarative rules and/or a Lua script (with neither, a
    /// description only, it never stops).
    case custom(CustomCondition)
}
