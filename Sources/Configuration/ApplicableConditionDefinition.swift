/// One applicable condition (`define_applicable_condition("NAME")`): its name, what it does
/// and its description.
public struct ApplicableConditionDefinition: Hashable, Sendable {
    /// The condition's name, as milters refer to it.
    public var name: String
    /// What the runtime does for it.
    public var kind: ConditionKind
    /// `condition.description`.
    public var description: Setting<String?>
    /// `condition.data` (free text; kept for compatibility).
    public var data: Setting<String?>
    /// Where it was defined (`.default` for the built-in ones).
    public var definedAt: Provenance

    /// A condition.
    public init(name: String, kind: ConditionKind, description: Setting<String?>, definedAt: Provenance) {
        self.name = name
        self.kind = kind
        self.description = description
        self.data = Setting(nil)
        self.definedAt = definedAt
    }

    /// The shipped conditions, in the order the original defines them (its
    /// `applicable-conditions/*.conf` files in sorted order).
    public static let builtIn: [ApplicableConditionDefinition] = [
        ("Authenticated", ConditionKind.authenticated, "Apply a milter only when sender is authorized"),
        ("Unauthenticated", .unauthenticated, "Apply a milter only when sender is not authorized"),
        (
            "DNSBL Listed", .dnsblListed,
            "Apply a milter only when connected host is listed in DNS-based Blackhole List"
        ),
        (
            "Not DNSBL Listed", .notDNSBLListed,
            "Apply a milter only when connected host is not listed in DNS-based Blackhole List"
        ),
        ("Remote Network", .remoteNetwork, "Apply milter only if connected from remote network"),
        ("S25R", .s25r, "Selective SMTP Rejection"),
        ("Sendmail Compatible", .sendmailCompatible, "Make a milter depends on Sendmail workable with Postfix"),
        ("Stress Notify", .stressNotify, "Define stress=yes macro when stress situation"),
        ("No Stress", .noStress, "Apply milter only when normal condition"),
        ("Trust", .trust, "Set {trusted_*}=yes macros for trusted session"),
    ].map { name, kind, description in
        ApplicableConditionDefinition(name: name, kind: kind, description: Setting(description), definedAt: .default)
    }
}
