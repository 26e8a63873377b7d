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
