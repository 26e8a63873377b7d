/// A data source of an RRD file: a GAUGE per minute.
public struct DataSource: Hashable, Sendable {
    /// The name (`-` written `_`, as RRDtool 1.5 wants).
    public var name: String
    /// How lines of one minute combine.
    public var merge: Merge

    /// How the lines of one minute combine into the minute's value.
    public enum Merge: Hashable, Sendable {
        /// Added up (counts, seconds).
        case sum
        /// The largest (concurrency, longest time).
        case maximum
    }

    /// A data source.
    public init(_ name: String, merge: Merge = .sum) {
        self.name = name
        self.merge = merge
    }
}
