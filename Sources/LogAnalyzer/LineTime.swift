/// When a line was written.
public enum LineTime: Hashable, Sendable {
    /// Seconds since the epoch (the line carried a year and a zone).
    case absolute(Int64)
    /// A traditional syslog time: local time, no year.
    case local(LocalStamp)
}
