#if canImport(Glibc)
    import Glibc
#endif

/// What a file is, in words, for messages about a path that holds the wrong kind of file.
public enum FileKind {
    /// "a regular file", "a directory", "a symbolic link", ... for an `st_mode`.
    public static func describe(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFREG: return "a regular file"
        case S_IFDIR: return "a directory"
        case S_IFLNK: return "a symbolic link"
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        default: return "an unknown kind of file"
        }
    }
}
