#if canImport(Glibc)
    import Glibc
#endif

/// CPU time (user + system) this process used so far, all threads (`getrusage(RUSAGE_SELF)`).
enum ProcessCPUTime {
    /// Seconds of user plus system time.
    static func seconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func value(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return value(usage.ru_utime) + value(usage.ru_stime)
    }
}
