/// A log line as the analyzer sees it: its time, and the statistics text when it is one.
public enum LogLine: Hashable, Sendable {
    /// A `[statistics]` line of milter-manager; `payload` is the text after `[statistics] `.
    case statistics(LineTime, payload: ArraySlice<UInt8>)
    /// A line with a time that is not a statistics line (another program, another level): it
    /// still tells how far the log goes.
    case other(LineTime)
    /// Not a log line we know the shape of (no time we can read).
    case unrecognized
}

/// When a line was written.
public enum LineTime: Hashable, Sendable {
    /// Seconds since the epoch (the line carried a year and a zone).
    case absolute(Int64)
    /// A traditional syslog time: local time, no year.
    case local(LocalStamp)
}

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
