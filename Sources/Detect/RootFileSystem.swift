import Configuration

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Read-only access to a file-system tree as if it were mounted at `/`: every absolute path,
/// and every absolute symlink target met on the way, is taken relative to the root.
///
/// Detection reads nothing else. Resolved paths, directory listings and file contents are
/// cached, so one instance serves one detection run (a class for that cache, not `Sendable`).
final class RootFileSystem {
    /// The root directory on the host, absolute, without a trailing slash (`""` for `/`).
    let root: String
    /// The one place paths are resolved and files read inside the root.
    let directory: RootDirectory
    private var resolved: [String: String?] = [:]
    private var listings: [String: [String]] = [:]
    private var contents: [String: String?] = [:]

    /// A view of `root` (made absolute against the current directory when relative).
    init(root: String) {
        directory = RootDirectory(root)
        self.root = directory.path == "/" ? "" : directory.path
    }

    /// The host path of `path` without resolving symlinks.
    func hostPath(_ path: String) -> String { root + Self.normalize(path) }

    /// Whether the root itself can be listed.
    func rootIsReadable() -> Bool { directory.isReadable }

    /// `path` with every symlink resolved inside the root, nil when some component is missing.
    /// Absolute link targets are taken relative to the root; `..` never leaves it.
    func resolve(_ path: String) -> String? {
        let key = Self.normalize(path)
        if let cached = resolved[key] { return cached }
        let result = directory.resolve(key).existingPath
        resolved[key] = result
        return result
    }

    /// The target text of the symlink at `path` (its last component is not resolved), or nil.
    func readLinkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(hostPath(path), &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether something (a file, directory or any symlink, even a dangling one) is at `path`.
    func entryExists(_ path: String) -> Bool { directory.entryExists(Self.normalize(path)) }

    /// Whether `path` resolves to a regular file.
    func isFile(_ path: String) -> Bool {
        guard let info = statResolved(path) else { return false }
        return (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Whether `path` resolves to a regular file with an execute bit.
    func isExecutable(_ path: String) -> Bool {
        guard let info = statResolved(path) else { return false }
        return (info.st_mode & S_IFMT) == S_IFREG && (info.st_mode & 0o111) != 0
    }

    private func statResolved(_ path: String) -> stat? {
        guard let real = resolve(path) else { return nil }
        var info = stat()
        return stat(root + real, &info) == 0 ? info : nil
    }

    /// The whole file at `path` (symlinks resolved inside the root), nil when it cannot be read
    /// as a regular file within the size limit. Read once per instance: detection passes ask
    /// for the same scripts again.
    func readFile(_ path: String) -> String? {
        guard let real = resolve(path) else { return nil }
        if let cached = contents[real] { return cached }
        let text = try? directory.readText(real)
        contents[real] = text
        return text
    }

    /// Names in the directory at `path`, sorted, without `.` and `..`; empty when missing.
    func list(_ path: String) -> [String] {
        guard let real = resolve(path) else { return [] }
        if let cached = listings[real] { return cached }
        let names = directory.names(in: real) ?? []
        listings[real] = names
        return names
    }

    /// `/a/b/../c/` → `/a/c` style cleanup without touching the disk (`..` stays lexical).
    static func normalize(_ path: String) -> String { PathComponents.normalize(path) }

    /// `dir` + `/` + `name` without doubled slashes.
    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// The directory part of an absolute path (`/` for `/x`).
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    /// The last component of a path.
    static func lastComponent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
