/// Why a file could not be read (`BoundedFile`, `RootDirectory`).
public enum FileReadError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No such file (a component is missing, or a symlink dangles).
    case notFound
    /// It exists but cannot be read (the reason from `strerror`).
    case unreadable(String)
    /// It is not a regular file (a directory, FIFO, socket or device): named by its kind.
    case notRegularFile(String)
    /// It is larger than the limit (bytes).
    case tooLarge(limit: Int)
    /// Its symlinks loop, or there are more than the allowed number of them.
    case symlinkLoop

    /// A short reason for messages: `no such file`, `it is a FIFO, not a regular file`, ...
    public var description: String {
        switch self {
        case .notFound: return "no such file"
        case .unreadable(let reason): return reason
        case .notRegularFile(let kind): return "it is \(kind), not a regular file"
        case .tooLarge(let limit): return "it is larger than \(limit) bytes"
        case .symlinkLoop: return "too many levels of symbolic links"
        }
    }
}
