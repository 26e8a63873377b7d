#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The hidden name a unix socket is bound under before it gets its mode and group and is
/// renamed to its real path: `<directory>/.<name>.<pid>`.
public enum UnixSocketStaging {
    /// The staging path for `path`, nil when it would not fit in `sun_path` (then the socket
    /// is bound under its real name and its mode set afterwards).
    public static func path(for path: String) -> String? {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let candidate = directory + "." + name + ".\(getpid())"
        return candidate.utf8.count < 104 ? candidate : nil
    }
}
