#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reading whole files with a size limit: the one place a file's bytes are read into memory.
///
/// - `readRegularFile(atPath:)`: for files the process finds by itself (configuration, init
///   scripts, main.cf, /proc): opened without following a final symlink and without blocking,
///   refused unless `fstat` says it is a regular file no larger than the limit.
/// - `readNamedFile(atPath:)`: for a file the user names on the command line (a test message):
///   links are followed and a pipe or FIFO (`<(...)`) is read to its end, but a directory is
///   refused and the limit holds.
/// - `read(descriptor:)`: standard input or any open descriptor, up to the limit.
///
/// The limit holds for what is read, not only for what `fstat` said: a file that grows while
/// it is read is refused too.
public enum BoundedFile {
    /// The largest file read by default: 8 MiB (configuration files, init scripts, main.cf).
    public static let defaultSizeLimit = 8 << 20

    /// The bytes of the regular file at `path` (a host path), at most `limit` of them: a final
    /// symlink is not followed, a FIFO or device is refused without blocking.
    public static func readRegularFile(atPath path: String, limit: Int = defaultSizeLimit)
        throws(FileReadError) -> [UInt8]
    {
        let descriptor = try open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY)
        defer { close(descriptor) }
        let info = try status(descriptor)
        let kind = info.st_mode & S_IFMT
        guard kind == S_IFREG else { throw .notRegularFile(FileKind.name(kind)) }
        guard Int(info.st_size) <= limit else { throw .tooLarge(limit: limit) }
        return try read(descriptor: descriptor, limit: limit, expectedSize: Int(info.st_size))
    }

    /// The bytes of the file the user named at `path`, at most `limit` of them: symlinks are
    /// followed and a pipe or FIFO is read until its writer closes it; a directory, socket or
    /// device is refused.
    public static func readNamedFile(atPath path: String, limit: Int) throws(FileReadError) -> [UInt8] {
        let descriptor = try open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)
        defer { close(descriptor) }
        let info = try status(descriptor)
        let kind = info.st_mode & S_IFMT
        guard kind == S_IFREG || kind == S_IFIFO else { throw .notRegularFile(FileKind.name(kind)) }
        guard kind != S_IFREG || Int(info.st_size) <= limit else { throw .tooLarge(limit: limit) }
        return try read(descriptor: descriptor, limit: limit, expectedSize: kind == S_IFREG ? Int(info.st_size) : 0)
    }

    /// Everything `descriptor` gives until end of file, at most `limit` bytes (the descriptor is
    /// not closed).
    public static func read(descriptor: Int32, limit: Int, expectedSize: Int = 0) throws(FileReadError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(min(max(expectedSize, 0), limit))
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Self.systemRead(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(String(cString: strerror(errno)))
            }
            if count == 0 { return bytes }
            guard bytes.count + count <= limit else { throw .tooLarge(limit: limit) }
            bytes.append(contentsOf: buffer[0..<count])
        }
    }

    private static func open(_ path: String, _ flags: Int32) throws(FileReadError) -> Int32 {
        let descriptor = systemOpen(path, flags)
        guard descriptor >= 0 else {
            let code = errno
            switch code {
            case ENOENT, ENOTDIR: throw .notFound
            case ELOOP: throw .symlinkLoop
            default: throw .unreadable(String(cString: strerror(code)))
            }
        }
        return descriptor
    }

    private static func status(_ descriptor: Int32) throws(FileReadError) -> stat {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .unreadable(String(cString: strerror(errno))) }
        return info
    }

    private static func systemOpen(_ path: String, _ flags: Int32) -> Int32 {
        #if canImport(Glibc)
            Glibc.open(path, flags)
        #else
            Darwin.open(path, flags)
        #endif
    }

    private static func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
            Glibc.read(descriptor, buffer, count)
        #else
            Darwin.read(descriptor, buffer, count)
        #endif
    }
}
