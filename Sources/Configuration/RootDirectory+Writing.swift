import MilterSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writing under the root: the one place where ConfigGen creates directories and replaces files.
///
/// Every path is walked from a descriptor of the root, one component at a time, with
/// `openat(O_NOFOLLOW | O_DIRECTORY)`: a symlink met on the way is read with `readlinkat` and
/// followed as `resolve` does (an absolute target starts again at the root, `..` never climbs
/// above it), so no write can land outside the root, even when a directory is replaced by a
/// link while the walk runs. Missing directories are made with `mkdirat` in the directory
/// reached so far, never through a link (a link to a missing directory is an error), and a
/// file is replaced by a temporary file created beside it with `O_CREAT | O_EXCL |
/// O_NOFOLLOW`, flushed, then renamed over it within the same directory descriptor.
extension RootDirectory {
    /// Why something could not be written under the root. Paths are as seen inside the root.
    public enum WriteError: Error, Hashable, Sendable, CustomStringConvertible {
        /// A component of the path exists and is not a directory.
        case notADirectory(String)
        /// A symlink on the way leads to a directory that does not exist.
        case danglingLink(String)
        /// The path goes through too many symlinks (a loop).
        case symlinkLoop(String)
        /// The file exists and is not a regular file (a directory, a FIFO, ...): named by kind.
        case notRegularFile(String, kind: String)
        /// A system call failed: which, on what, and `strerror`'s reason.
        case failed(call: String, path: String, reason: String)

        /// The message: the path and what is wrong with it.
        public var description: String {
            switch self {
            case .notADirectory(let path): return "\(path) is not a directory"
            case .danglingLink(let path): return "\(path) is a symbolic link to a directory that does not exist"
            case .symlinkLoop(let path): return "\(path): too many levels of symbolic links"
            case .notRegularFile(let path, let kind): return "\(path) is \(kind), not a regular file"
            case .failed(let call, let path, let reason): return "\(call) \(path): \(reason)"
            }
        }
    }

    /// Mode and owner of an existing regular file.
    public struct FileAttributes: Hashable, Sendable {
        /// Permission bits (`0o640`).
        public var mode: mode_t
        /// Owner.
        public var user: uid_t
        /// Group.
        public var group: gid_t
    }

    /// Makes the directory `inside` and every missing parent (mode `mode`), inside the root;
    /// returns its resolved path inside the root.
    @discardableResult
    public func makeDirectories(_ inside: String, mode: mode_t = 0o755) throws(WriteError) -> String {
        let place = try walk(inside, creatingParentsWith: mode, lastIsDirectory: true)
        close(place.directory)
        return place.parent
    }

    /// The mode and owner of the regular file at `inside` (symlinks followed inside the root),
    /// nil when there is none.
    public func attributes(of inside: String) -> FileAttributes? {
        guard case .existing(let resolved) = resolve(inside) else { return nil }
        var info = stat()
        guard lstat(hostPath(resolved: resolved), &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return FileAttributes(mode: info.st_mode & 0o7777, user: info.st_uid, group: info.st_gid)
    }

    /// Makes `inside` hold `bytes`, atomically. A final symlink is followed inside the root when
    /// `followLink` (its target is replaced, the link kept), else the link itself is replaced.
    /// Missing parents are created (0755). The file gets `attributes` when given, else those of
    /// the file it replaces, else mode 0644 and the caller's owner. Returns the resolved path.
    @discardableResult
    public func replaceFile(
        _ inside: String, with bytes: [UInt8], attributes: FileAttributes? = nil, followLink: Bool = true
    ) throws(WriteError) -> String {
        let place = try walk(inside, creatingParentsWith: 0o755, followLastLink: followLink)
        defer { close(place.directory) }
        let target = place.parent == "/" ? "/" + place.name : place.parent + "/" + place.name
        var info = stat()
        var existing: FileAttributes?
        if fstatat(place.directory, place.name, &info, AT_SYMLINK_NOFOLLOW) == 0 {
            let kind = info.st_mode & S_IFMT
            if kind == S_IFREG {
                existing = FileAttributes(mode: info.st_mode & 0o7777, user: info.st_uid, group: info.st_gid)
            } else if kind != S_IFLNK || followLink {
                throw .notRegularFile(target, kind: FileKind.name(kind))
            }
        } else if place.reachedThroughLink {
            throw .danglingLink(inside)
        }
        let wanted = attributes ?? existing
        let temporary = try createTemporary(beside: place.name, in: place.directory, target: target)
        var renamed = false
        defer {
            if !renamed { unlinkat(place.directory, temporary.name, 0) }
        }
        try Self.writeAll(bytes, to: temporary.descriptor, path: target)
        if let wanted { _ = fchown(temporary.descriptor, wanted.user, wanted.group) }  // only root may
        let mode = wanted?.mode ?? 0o644
        guard fchmod(temporary.descriptor, mode) == 0, fsync(temporary.descriptor) == 0 else {
            let error = WriteError.failed(call: "fchmod/fsync", path: target, reason: Self.lastError())
            close(temporary.descriptor)
            throw error
        }
        close(temporary.descriptor)
        guard renameat(place.directory, temporary.name, place.directory, place.name) == 0 else {
            throw .failed(call: "rename", path: target, reason: Self.lastError())
        }
        renamed = true
        return target
    }

    /// Where a walk ended: the directory that holds (or will hold) the last component, open.
    struct WalkEnd {
        /// The directory's descriptor (the caller closes it).
        var directory: Int32
        /// The directory's resolved path inside the root.
        var parent: String
        /// The last component's name in it (empty when the walk made every component a
        /// directory).
        var name: String
        /// Whether the last component came from a symlink's target.
        var reachedThroughLink: Bool
    }

    /// Walks `inside` from the root as described on the extension, creating missing
    /// directories with `mode` on the way. It stops at the last component (a symlink there is
    /// followed when `followLastLink`), or, when `lastIsDirectory`, goes into it too (creating
    /// it) and ends with an empty name.
    func walk(
        _ inside: String, creatingParentsWith mode: mode_t, followLastLink: Bool = true, lastIsDirectory: Bool = false
    ) throws(WriteError) -> WalkEnd {
        let rootDescriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard rootDescriptor >= 0 else { throw .failed(call: "open", path: path, reason: Self.lastError()) }
        var opened: [(descriptor: Int32, name: String)] = []
        func current() -> Int32 { opened.last?.descriptor ?? rootDescriptor }
        func resolvedPath(_ extra: String? = nil) -> String {
            "/" + (opened.map(\.name) + (extra.map { [$0] } ?? [])).joined(separator: "/")
        }
        func closeOpened() {
            for entry in opened { close(entry.descriptor) }
            opened.removeAll()
        }
        /// Hands the current directory to the caller and closes everything else.
        func end(name: String, fromLink: Bool) -> WalkEnd {
            let parent = resolvedPath()
            guard let last = opened.popLast() else {
                return WalkEnd(directory: rootDescriptor, parent: "/", name: name, reachedThroughLink: fromLink)
            }
            closeOpened()
            close(rootDescriptor)
            return WalkEnd(directory: last.descriptor, parent: parent, name: name, reachedThroughLink: fromLink)
        }
        var pending = PathComponents.components(inside).reversed().map { (name: $0, fromLink: false) }
        var hops = 0
        var lastFromLink = false
        do throws(WriteError) {
            while let (component, fromLink) = pending.popLast() {
                if component == ".." {
                    if let last = opened.popLast() { close(last.descriptor) }
                    continue
                }
                let isLast = pending.isEmpty
                var info = stat()
                let exists = fstatat(current(), component, &info, AT_SYMLINK_NOFOLLOW) == 0
                if !exists && errno != ENOENT {
                    throw .failed(call: "stat", path: resolvedPath(component), reason: Self.lastError())
                }
                let kind = exists ? info.st_mode & S_IFMT : 0
                if kind == S_IFLNK && (!isLast || followLastLink || lastIsDirectory) {
                    hops += 1
                    guard hops <= Self.maximumSymlinkHops else { throw .symlinkLoop(PathComponents.normalize(inside)) }
                    guard let target = Self.linkTarget(in: current(), component) else {
                        throw .failed(call: "readlink", path: resolvedPath(component), reason: Self.lastError())
                    }
                    if target.hasPrefix("/") { closeOpened() }
                    pending += PathComponents.components(target).reversed().map { (name: $0, fromLink: true) }
                    continue
                }
                if isLast && !lastIsDirectory { return end(name: component, fromLink: fromLink) }
                if exists {
                    guard kind == S_IFDIR else { throw .notADirectory(resolvedPath(component)) }
                } else {
                    guard !fromLink else { throw .danglingLink(resolvedPath(component)) }
                    if mkdirat(current(), component, mode) != 0 && errno != EEXIST {
                        throw .failed(call: "mkdir", path: resolvedPath(component), reason: Self.lastError())
                    }
                }
                let descriptor = openat(current(), component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                guard descriptor >= 0 else {
                    // Replaced by a link or a file since it was looked at: refused, never followed.
                    throw .failed(call: "open", path: resolvedPath(component), reason: Self.lastError())
                }
                opened.append((descriptor, component))
                lastFromLink = fromLink
            }
        } catch {
            closeOpened()
            close(rootDescriptor)
            throw error
        }
        guard lastIsDirectory else {
            closeOpened()
            close(rootDescriptor)
            throw .notRegularFile(PathComponents.normalize(inside), kind: FileKind.name(S_IFDIR))
        }
        return end(name: "", fromLink: lastFromLink)
    }

    /// Creates a new temporary file beside `name` in `directory` (`O_CREAT | O_EXCL |
    /// O_NOFOLLOW`, mode 0600, a random suffix).
    private func createTemporary(beside name: String, in directory: Int32, target: String) throws(WriteError)
        -> (descriptor: Int32, name: String)
    {
        for _ in 0..<16 {
            let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 36)
            let candidate = "." + String(name.prefix(200)) + "." + suffix
            let descriptor = openat(
                directory, candidate, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_t(0o600))
            if descriptor >= 0 { return (descriptor, candidate) }
            if errno != EEXIST { break }
        }
        throw .failed(call: "create a temporary file for", path: target, reason: Self.lastError())
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(WriteError) {
        do {
            try DescriptorWriter.writeAll(bytes, to: descriptor)
        } catch {
            close(descriptor)
            throw .failed(call: "write", path: path, reason: error.description)
        }
    }

    private static func linkTarget(in directory: Int32, _ name: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlinkat(directory, name, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }
}
