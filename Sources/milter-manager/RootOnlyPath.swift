#if canImport(Glibc)
    import Glibc
#endif

/// Whether a file can be changed by nobody but root (or the launcher's own user): the file
/// and every directory above it, as written and with links resolved, belong to that user and
/// are not writable by group or others (a directory with the sticky bit, like /tmp, may be:
/// others cannot rename or remove what is in it; but not the file's own directory, where they
/// could add the files read beside it, such as an optional local configuration). The launcher runs commands only from
/// configuration files that pass, and only executables that pass: otherwise whoever can
/// write them (the unprivileged daemon among others) could have root run anything.
enum RootOnlyPath {
    /// Nil when `path` passes, else what fails (`/etc/x.conf is writable by its group (mode 0664)`).
    static func problem(_ path: String, owner: uid_t = geteuid()) -> String? {
        guard path.hasPrefix("/") else { return "\(path) is not an absolute path" }
        if let problem = checkComponents(of: path, owner: owner) { return problem }
        guard let resolved = realpath(path, nil) else {
            return "cannot resolve \(path): \(String(cString: strerror(errno)))"
        }
        defer { free(resolved) }
        let real = String(cString: resolved)
        return real == path ? nil : checkComponents(of: real, owner: owner)
    }

    /// Checks `/`, `/a`, `/a/b`, ... `path`: each directory (links in the middle are followed
    /// by stat; their own directory is checked as a prefix), and the file itself.
    private static func checkComponents(of path: String, owner: uid_t) -> String? {
        var prefixes = ["/"]
        var current = ""
        for component in path.split(separator: "/") {
            current += "/" + component
            prefixes.append(current)
        }
        for (index, prefix) in prefixes.enumerated() {
            let isLast = index == prefixes.count - 1
            let isOwnDirectory = index == prefixes.count - 2
            var info = stat()
            guard stat(prefix, &info) == 0 else {
                return "cannot examine \(prefix): \(String(cString: strerror(errno)))"
            }
            if info.st_uid != 0 && info.st_uid != owner {
                return "\(prefix) belongs to uid \(info.st_uid), not root"
            }
            let isDirectory = info.st_mode & S_IFMT == S_IFDIR
            let sticky = info.st_mode & S_ISVTX != 0
            if info.st_mode & 0o022 != 0 && !(isDirectory && sticky && !isLast && !isOwnDirectory) {
                let mode = "0" + String(info.st_mode & 0o7777, radix: 8)
                let who = info.st_mode & 0o002 != 0 ? "everyone" : "its group"
                return "\(prefix) is writable by \(who) (mode \(mode))"
            }
        }
        return nil
    }
}
