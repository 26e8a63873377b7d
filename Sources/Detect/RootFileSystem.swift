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
    private var resolved: [String: String?] = [:]
    private var listings: [String: [String]] = [:]
    private var contents: [String: String?] = [:]

    /// A view of `root` (made absolute against the current directory when relative).
    init(root: String) {
        var path = root
        if !path.hasPrefix("/") {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            if getcwd(&buffer, buffer.count) != nil {
                let cwd = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                path = cwd + "/" + path
            }
        }
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        self.root = path == "/" ? "" : path
    }

    /// The host path of `path` without resolving symlinks.
    func hostPath(_ path: String) -> String { root + Self.normalize(path) }

    /// Whether the root itself can be listed.
    func rootIsReadable() -> Bool { RootDirectory(root.isEmpty ? "/" : root).isReadable }

    /// `path` with every symlink resolved inside the root, nil when some component is missing.
    /// Absolute link targets are taken relative to the root; `..` never leaves it.
    func resolve(_ path: String) -> String? {
        let key = Self.normalize(path)
        if let cached = resolved[key] { return cached }
        let result = resolveUncached(key)
        resolved[key] = result
        return result
    }

    private func resolveUncached(_ path: String) -> String? {
        var pending = Self.components(path).reversed() as [String]
        var current: [String] = []
        var hops = 0
        while let component = pending.popLast() {
            if component == ".." {
                _ = current.popLast()
                continue
            }
            let candidate = "/" + (current + [component]).joined(separator: "/")
            var info = stat()
            guard lstat(root + candidate, &info) == 0 else { return nil }
            guard (info.st_mode & S_IFMT) == S_IFLNK else {
                current.append(component)
                continue
            }
            hops += 1
            guard hops <= 40, let target = readLinkTarget(candidate) else { return nil }
            if target.hasPrefix("/") { current = [] }
            pending.append(contentsOf: Self.components(target).reversed())
        }
        return "/" + current.joined(separator: "/")
    }

    /// The target text of the symlink at `path` (its last component is not resolved), or nil.
    func readLinkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(hostPath(path), &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether something (a file, directory or any symlink, even a dangling one) is at `path`.
    func entryExists(_ path: String) -> Bool {
        let normalized = Self.normalize(path)
        let parent = Self.parent(of: normalized)
        guard let resolvedParent = resolve(parent) else { return false }
        var info = stat()
        return lstat(root + Self.join(resolvedParent, Self.lastComponent(normalized)), &info) == 0
    }

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

    /// The whole file at `path` (symlinks resolved inside the root), nil when unreadable.
    /// Read once per instance: detection passes ask for the same scripts again.
    func readFile(_ path: String) -> String? {
        guard let real = resolve(path) else { return nil }
        if let cached = contents[real] { return cached }
        let text = readUncached(real)
        contents[real] = text
        return text
    }

    private func readUncached(_ real: String) -> String? {
        let descriptor = open(root + real, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 { return nil }
            if count == 0 { break }
            bytes.append(contentsOf: chunk.prefix(count))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Names in the directory at `path`, sorted, without `.` and `..`; empty when missing.
    func list(_ path: String) -> [String] {
        guard let real = resolve(path) else { return [] }
        if let cached = listings[real] { return cached }
        var names: [String] = []
        if let directory = opendir(root + real) {
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name != "." && name != ".." { names.append(name) }
            }
            closedir(directory)
        }
        names.sort()
        listings[real] = names
        return names
    }

    /// `/a/b/../c/` → `/a/c` style cleanup without touching the disk (`..` stays lexical).
    static func normalize(_ path: String) -> String {
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

    private static func components(_ path: String) -> [String] {
        path.split(separator: "/").map(String.init).filter { $0 != "." }
    }
}
