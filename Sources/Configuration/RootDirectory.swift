import MilterSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The file-system root configuration files are read under: every absolute path is taken
/// relative to it (`--root /tmp/x` reads `/etc/milter-manager/milter-manager.conf` from
/// `/tmp/x/etc/milter-manager/milter-manager.conf`). Paths in messages stay as seen inside.
///
/// The one place where a path inside the root becomes a file on the host: symlinks met on the
/// way are resolved as if the root were `/` (an absolute target starts again at the root, `..`
/// never climbs above it), so nothing outside the root is ever read or written through it.
/// Files are opened only when they are regular files, without blocking (a FIFO or a device is
/// an error, not a hang) and up to a size limit (`BoundedFile.readRegularFile`).
public struct RootDirectory: Hashable, Sendable {
    /// The root on the host: absolute (a relative root is taken against the working directory
    /// when the value is made), without a trailing slash except for `/`.
    public let path: String

    /// How many symlinks one path may go through (as Linux's `MAXSYMLINKS`).
    public static let maximumSymlinkHops = 40

    /// A root at `path`; a relative path is taken against the current working directory.
    public init(_ path: String) {
        var absolute = path.isEmpty ? "/" : path
        if !absolute.hasPrefix("/") { absolute = Self.workingDirectory() + "/" + absolute }
        self.path = PathComponents.normalize(absolute)
    }

    /// Where a path inside the root leads.
    public enum Resolution: Hashable, Sendable {
        /// Every component exists: the path inside the root with every symlink resolved.
        case existing(String)
        /// The components up to the last exist (resolved), the last does not: its would-be
        /// resolved path, where a new file may be created.
        case missingLast(String)
        /// A component before the last is missing (or not a directory).
        case missing
        /// A symlink loop or too many hops.
        case loop

        /// The resolved path when it exists.
        public var existingPath: String? {
            if case .existing(let path) = self { return path }
            return nil
        }
    }

    /// The host path of `inside` without resolving symlinks (for messages and for tools that
    /// resolve themselves, such as Augeas). Never use it to open a file: use `resolve`.
    public func hostPath(_ inside: String) -> String {
        let normalized = PathComponents.normalize(inside.hasPrefix("/") ? inside : "/" + inside)
        return path == "/" ? normalized : (normalized == "/" ? path : path + normalized)
    }

    /// The host path of an already resolved path inside the root.
    func hostPath(resolved inside: String) -> String {
        path == "/" ? inside : (inside == "/" ? path : path + inside)
    }

    /// Resolves `inside` within the root: every symlink is followed as if the root were `/`.
    public func resolve(_ inside: String) -> Resolution {
        var pending = Array(PathComponents.components(inside).reversed())
        var current: [String] = []
        var hops = 0
        while let component = pending.popLast() {
            if component == ".." {
                _ = current.popLast()
                continue
            }
            let candidate = "/" + (current + [component]).joined(separator: "/")
            var info = stat()
            guard lstat(hostPath(resolved: candidate), &info) == 0 else {
                return pending.isEmpty && errno == ENOENT ? .missingLast(candidate) : .missing
            }
            if (info.st_mode & S_IFMT) != S_IFLNK {
                if !pending.isEmpty && (info.st_mode & S_IFMT) != S_IFDIR { return .missing }
                current.append(component)
                continue
            }
            hops += 1
            guard hops <= Self.maximumSymlinkHops else { return .loop }
            guard let target = linkTarget(hostPath(resolved: candidate)) else { return .missing }
            if target.hasPrefix("/") { current = [] }
            pending.append(contentsOf: PathComponents.components(target).reversed())
        }
        return .existing("/" + current.joined(separator: "/"))
    }

    /// The text of the file at `inside`; invalid UTF-8 is repaired (use `readBytes` where bytes
    /// must be kept).
    public func readText(_ inside: String, limit: Int = BoundedFile.defaultSizeLimit) throws(FileReadError) -> String {
        String(decoding: try readBytes(inside, limit: limit), as: UTF8.self)
    }

    /// The bytes of the regular file at `inside`, at most `limit` of them.
    public func readBytes(_ inside: String, limit: Int = BoundedFile.defaultSizeLimit) throws(FileReadError) -> [UInt8]
    {
        let resolved: String
        switch resolve(inside) {
        case .existing(let path): resolved = path
        case .missing, .missingLast: throw .notFound
        case .loop: throw .symlinkLoop
        }
        return try BoundedFile.readRegularFile(atPath: hostPath(resolved: resolved), limit: limit)
    }

    /// Whether the root itself is a directory that can be listed.
    public var isReadable: Bool {
        guard let directory = opendir(path) else { return false }
        closedir(directory)
        return true
    }

    /// Whether `inside` resolves to a directory.
    public func isDirectory(_ inside: String) -> Bool { fileType(inside) == S_IFDIR }

    /// Whether `inside` resolves to something that exists and is not a directory (a regular
    /// file, or a FIFO/device that reading will then refuse with a clear error).
    public func isFile(_ inside: String) -> Bool {
        guard let type = fileType(inside) else { return false }
        return type != S_IFDIR
    }

    /// Whether anything, even a dangling or looping symlink, is at `inside` (its last component
    /// is not followed).
    public func entryExists(_ inside: String) -> Bool {
        let components = PathComponents.components(inside)
        guard let last = components.last else { return true }
        let parent = "/" + components.dropLast().joined(separator: "/")
        guard case .existing(let resolvedParent) = resolve(parent) else { return false }
        var info = stat()
        let candidate = resolvedParent == "/" ? "/" + last : resolvedParent + "/" + last
        return lstat(hostPath(resolved: candidate), &info) == 0
    }

    private func fileType(_ inside: String) -> mode_t? {
        guard case .existing(let resolved) = resolve(inside) else { return nil }
        var info = stat()
        guard stat(hostPath(resolved: resolved), &info) == 0 else { return nil }
        return info.st_mode & S_IFMT
    }

    /// The names in the directory `inside` (resolved), sorted, without `.` and `..`; nil when it
    /// is not a directory that can be listed.
    public func names(in inside: String) -> [String]? {
        guard case .existing(let resolved) = resolve(inside),
            let directory = opendir(hostPath(resolved: resolved))
        else { return nil }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// The entries of the directory `inside` that are not directories, as paths inside the
    /// root, sorted.
    public func files(in inside: String) -> [String] {
        let base = inside.hasSuffix("/") ? inside : inside + "/"
        return (names(in: inside) ?? []).map { base + $0 }.filter { isFile($0) }
    }

    /// The paths (inside the root) matching the shell pattern `inside`, sorted. Each component
    /// is matched against the entries of the directory reached so far (symlinks resolved
    /// inside the root); hidden entries match only a pattern that starts with a dot.
    public func glob(_ inside: String) -> [String] {
        var matches = ["/"]
        for component in PathComponents.components(inside) {
            var next: [String] = []
            for base in matches {
                let prefix = base == "/" ? "/" : base + "/"
                if !PathComponents.hasGlobCharacters(component) {
                    let candidate = prefix + component
                    if component == ".." || entryExists(candidate) { next.append(candidate) }
                    continue
                }
                for name in names(in: base) ?? []
                where fnmatch(component, name, FNM_PERIOD) == 0 {
                    next.append(prefix + name)
                }
            }
            matches = next
            if matches.isEmpty { return [] }
        }
        return matches.sorted()
    }

    private func linkTarget(_ hostPath: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(hostPath, &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func workingDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return "/" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Lexical path helpers (no file-system access).
public enum PathComponents {
    /// The components of `path`, without empty ones and `.`.
    public static func components(_ path: String) -> [String] {
        path.split(separator: "/").map(String.init).filter { $0 != "." }
    }

    /// `/a/b/../c/` → `/a/c`: absolute, `..` applied lexically (never above `/`).
    public static func normalize(_ path: String) -> String {
        var parts: [String] = []
        for component in components(path) {
            if component == ".." {
                _ = parts.popLast()
            } else {
                parts.append(component)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// Whether a path component holds a shell pattern character.
    static func hasGlobCharacters(_ component: String) -> Bool {
        component.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }
}
