/// A statistics line that did not follow its format.
public struct MalformedLine: Hashable, Sendable {
    /// Its line number in the log (1-based).
    public var line: Int
    /// What is wrong.
    public var error: StatisticsLineError

    /// A malformed line.
    public init(line: Int, error: StatisticsLineError) {
        self.line = line
        self.error = error
    }
}
