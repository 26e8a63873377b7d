/// Parameters of the `S25R` condition (`s25r.*`, detection.md 6.1).
public struct S25RParameters: Hashable, Sendable {
    /// Host names never treated as dynamic; checked first.
    public var whitelist: [Setting<TextMatcher>]
    /// The S25R rules: a matching host name is treated as dynamic (the milter applies).
    public var blacklist: [Setting<TextMatcher>]
    /// `s25r.only_check_ipv4`: non-IPv4 clients are never treated as dynamic.
    public var onlyCheckIPv4: Setting<Bool>

    /// The built-in whitelist (big senders whose host names look dynamic).
    public static let defaultWhitelist: [TextMatcher] = [
        #"\.google\.com\z"#, #"\.obsmtp\.com\z"#, #"\.smtp-out\.amazonses\.com\z"#, #"\.slack\.com\z"#,
        #"\.mg\.gitlab\.com\z"#, #"\.sendgrid\.net\z"#,
    ].map { .regex(RubyRegex(source: $0)) }

    /// The built-in S25R rules; the first is the literal host name `unknown`.
    public static let defaultBlacklist: [TextMatcher] =
        [.exact("unknown")]
        + [
            (#"\A\[.+\]\z"#, false), (#"\A[^.]*\d[^\d.]+\d.*\."#, false), (#"\A[^.]*\d{5}"#, false),
            (#"\A(?:[^.]+\.)?\d[^.]*\.[^.]+\..+\.[a-z]"#, true), (#"\A[^.]*\d\.[^.]*\d-\d"#, false),
            (#"\A[^.]*\d\.[^.]*\d\.[^.]+\..+\."#, false), (#"\A(?:dhcp|dialup|ppp|[achrsvx]?dsl)[^.]*\d"#, true),
        ].map { source, ignoreCase in TextMatcher.regex(RubyRegex(source: source, ignoreCase: ignoreCase)) }

    /// The built-in lists, IPv4 only.
    public init() {
        whitelist = Self.defaultWhitelist.map { Setting($0) }
        blacklist = Self.defaultBlacklist.map { Setting($0) }
        onlyCheckIPv4 = Setting(true)
    }
}
