/// `Jan 21 10:11:12`: a local wall-clock time without a year.
public struct LocalStamp: Hashable, Sendable {
    /// 1 to 12.
    public var month: Int
    /// 1 to 31 (checked against the month once the year is known).
    public var day: Int
    /// 0 to 23.
    public var hour: Int
    /// 0 to 59.
    public var minute: Int
    /// 0 to 60.
    public var second: Int

    /// A stamp; the caller checks the ranges.
    public init(month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }
}
