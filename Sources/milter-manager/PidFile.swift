import Configuration
import MilterSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The PID file: opened without following a link, only a regular file, and locked (flock)
/// for the life of the process, so that a second instance with the same configuration finds
/// it locked and stops before it touches anything. At exit it is removed only if the path
/// still names the file this process locked.
final class PidFile {
    /// Why the PID file cannot be used.
    struct Failure: Error, CustomStringConvertible {
        /// What is wrong.
        enum Reason {
            /// Another process holds the lock (its pid, as the file says, if readable).
            case locked(pid: String?)
            /// The path is a symbolic link (not followed).
            case symbolicLink
            /// The path is not a regular file (what it is).
            case notAFile(String)
            /// open(), flock() or write() failed (strerror).
            case system(String)
        }

        /// The path.
        var path: String
        /// What is wrong.
        var reason: Reason

        var description: String {
            switch reason {
            case .locked(let pid):
                return "another milter-manager\(pid.map { " (pid \($0))" } ?? "") is running: "
                    + "its PID file \(path) is locked; stop it first or give this one another PID file and socket"
            case .symbolicLink:
                return "the PID file \(path) is a symbolic link; it is not followed: remove the link"
            case .notAFile(let kind):
                return "the PID file \(path) is \(kind), not a regular file; it is left alone"
            case .system(let text):
                return "cannot write the PID file \(path): \(text)"
            }
        }
    }

    let path: String
    private let descriptor: Int32
    private let device: UInt64
    private let inode: UInt64

    /// Creates (or takes over an unlocked) PID file at `path`, locks it and writes this pid.
    init(path: String) throws(Failure) {
        let previous = umask(0o022)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o644)
        umask(previous)
        guard descriptor >= 0 else {
            let code = errno
            var info = stat()
            if lstat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
                throw Failure(
                    path: path,
                    reason: info.st_mode & S_IFMT == S_IFLNK
                        ? .symbolicLink : .notAFile(FileKind.name(info.st_mode & S_IFMT)))
            }
            throw Failure(path: path, reason: .system(String(cString: strerror(code))))
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            throw Failure(path: path, reason: .notAFile(FileKind.name(info.st_mode & S_IFMT)))
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(descriptor)
            throw Failure(
                path: path,
                reason: code == EWOULDBLOCK
                    ? .locked(pid: Self.recordedPID(path)) : .system(String(cString: strerror(code))))
        }
        var text = "\(getpid())\n"
        let written = text.withUTF8 { bytes in
            ftruncate(descriptor, 0) == 0 ? pwrite(descriptor, bytes.baseAddress, bytes.count, 0) : -1
        }
        guard written == text.utf8.count else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw Failure(path: path, reason: .system(reason))
        }
        self.path = path
        self.descriptor = descriptor
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }

    /// The pid recorded in a PID file that another process holds locked, nil when no process
    /// holds it (or it cannot be read): checked before anything is started.
    static func runningInstance(at path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        guard flock(descriptor, LOCK_SH | LOCK_NB) != 0, errno == EWOULDBLOCK else { return nil }
        return recordedPID(path) ?? "unknown"
    }

    /// Removes the file if the path still names the file this process locked; returns what
    /// went wrong, if anything. The lock goes with the descriptor.
    func remove() -> String? {
        defer { close(descriptor) }
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        guard UInt64(info.st_dev) == device, UInt64(info.st_ino) == inode else {
            return "the PID file \(path) was replaced by another file; it is left alone"
        }
        guard unlink(path) == 0 else {
            return "cannot remove the PID file \(path): \(String(cString: strerror(errno)))"
        }
        return nil
    }

    /// The first line of the file, if it is a number (a file larger than a PID file is not one).
    private static func recordedPID(_ path: String) -> String? {
        guard let bytes = try? BoundedFile.readRegularFile(atPath: path, limit: 64) else { return nil }
        let text = String(decoding: bytes.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        return !text.isEmpty && text.allSatisfy(\.isNumber) ? text : nil
    }
}
