import Configuration

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Replaces a file under a root the safe way: only when its content changes, keeping the
/// previous content as `<file>.bak`, and atomically (a temporary file in the same directory,
/// flushed, then renamed over the old one), with the old file's mode and owner. A symlink is
/// kept: its target is replaced.
public struct FileUpdater: Sendable {
    /// What `update` did.
    public enum Outcome: Hashable, Sendable {
        /// The file already had this content; nothing was written.
        case unchanged
        /// The file did not exist and was created.
        case created
        /// The file was replaced; its previous content is in the backup (path inside the root).
        case replaced(backup: String)
    }

    /// The root every path is taken relative to.
    public var root: RootDirectory
    /// Appended to a file's name for its backup.
    public static let backupSuffix = ".bak"

    /// An updater for files under `root`.
    public init(root: RootDirectory) {
        self.root = root
    }

    /// The current bytes of `path` (inside the root), nil when it does not exist.
    public func currentBytes(of path: String) throws(ConfigGenError) -> [UInt8]? {
        do {
            return try Self.readBytes(root.hostPath(path))
        } catch {
            throw .unreadableFile(path: path, reason: error.reason)
        }
    }

    /// Makes `path` (inside the root) hold `text`; new files get `mode` and missing parent
    /// directories are created (0755).
    public func update(_ path: String, with text: String, mode newFileMode: mode_t = 0o644)
        throws(ConfigGenError) -> Outcome
    {
        let bytes = Array(text.utf8)
        let named = root.hostPath(path)
        let current = try currentBytes(of: path)
        if current == bytes { return .unchanged }
        let target = Self.resolvedPath(named)
        let realRoot = Self.resolvedPath(root.path)
        let rootPrefix = realRoot == "/" ? "/" : realRoot + "/"
        guard target.hasPrefix(rootPrefix) || target == named else {
            throw .writeFailed(path: path, reason: "it is a symlink to \(target), outside the root")
        }
        var info = stat()
        let exists = current != nil && stat(target, &info) == 0
        do {
            if !exists { try Self.makeParents(of: named) }
            let mode = exists ? info.st_mode & 0o7777 : newFileMode
            let owner = exists ? (info.st_uid, info.st_gid) : nil
            if let current {
                try Self.writeAtomically(current, to: named + Self.backupSuffix, mode: mode, owner: owner)
            }
            try Self.writeAtomically(bytes, to: target, mode: mode, owner: owner)
        } catch {
            throw .writeFailed(path: path, reason: error.reason)
        }
        return current == nil ? .created : .replaced(backup: path + Self.backupSuffix)
    }

    /// A failed system call: which and why.
    struct SystemError: Error {
        var reason: String

        init(_ call: String, _ path: String) {
            reason = "\(call) \(path): \(String(cString: strerror(errno)))"
        }

        init(reason: String) {
            self.reason = reason
        }
    }

    /// The bytes of the file at `hostPath`, nil when it does not exist.
    static func readBytes(_ hostPath: String) throws(SystemError) -> [UInt8]? {
        do {
            return try RootDirectory("/").readBytes(hostPath)
        } catch {
            switch error {
            case .notFound: return nil
            case .unreadable, .notRegularFile, .tooLarge, .symlinkLoop:
                throw SystemError(reason: "read \(hostPath): \(error)")
            }
        }
    }

    /// `path` with symlinks resolved (itself when it does not exist yet).
    static func resolvedPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func makeParents(of path: String) throws(SystemError) {
        var directory = ""
        for component in path.split(separator: "/").dropLast() {
            directory += "/" + component
            if mkdir(directory, 0o755) != 0 && errno != EEXIST { throw SystemError("mkdir", directory) }
        }
    }

    /// Writes `bytes` to a temporary file beside `path`, then renames it over `path`.
    static func writeAtomically(_ bytes: [UInt8], to path: String, mode: mode_t, owner: (uid_t, gid_t)?)
        throws(SystemError)
    {
        let slash = path.lastIndex(of: "/") ?? path.startIndex
        let directory = String(path[..<slash])
        let name = String(path[path.index(after: slash)...])
        var template = Array((directory + "/." + name + ".XXXXXX").utf8CString)
        let descriptor = mkstemp(&template)
        guard descriptor >= 0 else { throw SystemError("mkstemp in", directory) }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var succeeded = false
        defer {
            if !succeeded { unlink(temporary) }
        }
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                let error = SystemError("write", temporary)
                close(descriptor)
                throw error
            }
            written += count
        }
        if let owner { _ = fchown(descriptor, owner.0, owner.1) }  // only root may; keep going otherwise
        guard fchmod(descriptor, mode) == 0, fsync(descriptor) == 0 else {
            let error = SystemError("fchmod/fsync", temporary)
            close(descriptor)
            throw error
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else { throw SystemError("rename to", path) }
        succeeded = true
    }
}
