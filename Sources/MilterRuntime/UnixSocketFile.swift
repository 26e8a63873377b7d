import Configuration
import MilterSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The file of a unix socket the manager listens on. Only a socket is ever removed, only when
/// nothing listens on it, and at exit only the very socket this process bound (same inode).
public struct UnixSocketFile: Hashable, Sendable {
    /// What is at a path before binding.
    public enum Occupant: Hashable, Sendable {
        /// Nothing.
        case nothing
        /// A socket nobody listens on (connect() was refused): left by an earlier run.
        case staleSocket
        /// A socket a process listens on.
        case liveSocket
        /// Something that is not a socket (`kind`: "regular file", "directory", ...).
        case other(kind: String)
        /// It could not be examined (`reason` from strerror).
        case unknown(reason: String)
    }

    /// The path.
    public let path: String
    /// Device and inode of the socket this process bound.
    let device: UInt64
    let inode: UInt64

    /// The socket now at `path`, nil when there is no socket there.
    public init?(boundAt path: String) {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFSOCK else { return nil }
        self.path = path
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }

    /// What is at `path`, without following a symbolic link there; a socket is probed with a
    /// non-blocking connect() (refused: stale; accepted or backlog full: live).
    public static func occupant(of path: String) -> Occupant {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            let code = errno
            return code == ENOENT ? .nothing : .unknown(reason: String(cString: strerror(code)))
        }
        guard info.st_mode & S_IFMT == S_IFSOCK else {
            return .other(kind: FileKind.name(info.st_mode & S_IFMT))
        }
        let probe = socket(
            AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard probe >= 0 else { return .unknown(reason: String(cString: strerror(errno))) }
        defer { close(probe) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            return .unknown(reason: "the path is too long for a unix socket")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (offset, byte) in bytes.enumerated() { raw[offset] = byte }
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(probe, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if result == 0 { return .liveSocket }
        switch errno {
        case ECONNREFUSED: return .staleSocket
        case EAGAIN, EINPROGRESS: return .liveSocket
        case ENOENT: return .nothing
        case let code: return .unknown(reason: String(cString: strerror(code)))
        }
    }

    /// Why the socket could not be removed at exit.
    public enum RemovalOutcome: Hashable, Sendable {
        /// Removed.
        case removed
        /// Nothing was there any more.
        case gone
        /// Something else is at the path now (another process's socket, a file): left alone.
        case replaced
        /// unlink() failed (`reason` from strerror).
        case failed(reason: String)
    }

    /// Removes the socket if the path still names the inode this process bound.
    public func removeIfUnchanged() -> RemovalOutcome {
        guard let current = UnixSocketFile(boundAt: path) else {
            var info = stat()
            return lstat(path, &info) == 0 ? .replaced : .gone
        }
        guard current == self else { return .replaced }
        return unlink(path) == 0 ? .removed : .failed(reason: String(cString: strerror(errno)))
    }
}
