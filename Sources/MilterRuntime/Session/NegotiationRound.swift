/// The children connecting and negotiating (runtime.md §1.5): how many have not yet answered or
/// failed, and the fallback statuses of those that failed (step 7).
struct NegotiationRound {
    /// Children still connecting or negotiating.
    var pending: Int
    /// The fallbacks of the children that failed to connect or negotiate.
    var failures = ReplyMerger()
}
