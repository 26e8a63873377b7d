#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Checks on the `--root` directory before anything is read under it.
enum RootAccess {
    /// Whether `root` is a directory that can be listed.
    static func isReadable(_ root: String) -> Bool {
        guard let directory = opendir(root.isEmpty ? "/" : root) else { return false }
        closedir(directory)
        return true
    }
}
