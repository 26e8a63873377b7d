import NIOCore

extension TimeAmount {
    /// `seconds` (a configured number of seconds) as a time amount that cannot trap: NaN and
    /// anything not above zero give zero, anything beyond what `Int64` nanoseconds hold (about
    /// 292 years, `inf`, `1e308`) gives the largest amount, which NIO treats as "never".
    public static func saturating(seconds: Double) -> TimeAmount {
        guard seconds > 0 else { return .zero }
        let nanoseconds = seconds * 1e9
        // Double(Int64.max) is 2^63, one more than Int64.max: every Double below it converts.
        guard nanoseconds < Double(Int64.max) else { return .nanoseconds(.max) }
        return .nanoseconds(Int64(nanoseconds))
    }
}
