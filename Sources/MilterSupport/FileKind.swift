#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The kinds of file-system entries, named for messages.
public enum FileKind {
    /// The name of the file type in `mode & S_IFMT` for messages (`a directory`, `a FIFO`, ...).
    public static func name(_ kind: mode_t) -> String {
        switch kind & S_IFMT {
        case S_IFREG: return "a regular file"
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFLNK: return "a symbolic link"
        default: return "a special file"
        }
    }
}
