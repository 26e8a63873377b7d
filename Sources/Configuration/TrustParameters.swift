/// Parameters of the `Trust` condition (`trust.*`, detection.md 6.7).
public struct TrustParameters: Hashable, Sendable {
    /// Envelope-from domains (lower-cased, exact) or regexes that set `{trusted_domain}=yes`.
    public var envelopeFromDomains: [Setting<TextMatcher>]
    /// Where `trust.clear` last emptied the list (nil: never, the built-in domains are in).
    public var clearedAt: Provenance?

    /// The built-in trusted domains.
    public static let defaultEnvelopeFromDomains: [TextMatcher] = [
        "gmail.com", "hotmail.com", "msn.com", "yahoo.co.jp", "softbank.ne.jp", "ezweb.ne.jp", "docomo.ne.jp",
        "clear-code.com",
    ].map { .exact($0) }

    /// The built-in list.
    public init() {
        envelopeFromDomains = Self.defaultEnvelopeFromDomains.map { Setting($0) }
        clearedAt = nil
    }
}
