#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The file-system root configuration files are read under: every absolute path is taken
/// relative to it (`--root /tmp/x` reads `/etc/milter-manager/milter-manager.conf` from
/// `/tmp/x/etc/milter-manager/milter-manager.conf`). Paths in messages stay as seen inside.
public struct RootDirectory: Hashable, Sendable {
    /// The root on the host (`/` on a live system), without a trailing slash except for `/`.
    public var path: String

    /// A root at `path`.
    public init(_ path: String) {
        var trimmed = path.isEmpty ? "/" : path
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.path = trimmed
    }

    /// Why a file could not be read.
    public enum ReadError: Error, Hashable, Sendable {
        /// No such file.
        case notFound
        /// It exists but cannot be read (the reason from `strerror`).
        case unreadable(String)
    }

    /// The host path of `inside` (an absolute path as seen inside the root).
    public func hostPath(_ inside: String) -> String {
        path == "/" ? inside : path + (inside.hasPrefix("/") ? inside : "/" + inside)
    }

    /// The text of the file at `inside` (invalid UTF-8 is repaired).
    public func readText(_ inside: String) throws(ReadError) -> String {
        String(decoding: try readBytes(inside), as: UTF8.self)
    }

    /// The bytes of the file at `inside`.
    public func readBytes(_ inside: String) throws(ReadError) -> [UInt8] {
        let descriptor = open(hostPath(inside), O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            throw code == ENOENT || code == ENOTDIR ? .notFound : .unreadable(String(cString: strerror(code)))
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(String(cString: strerror(errno)))
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: buffer[0..<count])
        }
    }

    /// Whether the root itself is a directory that can be listed.
    public var isReadable: Bool {
        guard let directory = opendir(path.isEmpty ? "/" : path) else { return false }
        closedir(directory)
        return true
    }

    /// Whether `inside` is a directory.
    public func isDirectory(_ inside: String) -> Bool { fileType(inside) == S_IFDIR }

    /// Whether `inside` exists and is not a directory.
    public func isFile(_ inside: String) -> Bool {
        guard let type = fileType(inside) else { return false }
        return type != S_IFDIR
    }

    private func fileType(_ inside: String) -> mode_t? {
        var info = stat()
        guard stat(hostPath(inside), &info) == 0 else { return nil }
        return info.st_mode & S_IFMT
    }

    /// The entries of the directory `inside` that are not directories, as paths inside the
    /// root, sorted.
    public func files(in inside: String) -> [String] {
        guard let directory = opendir(hostPath(inside)) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            names.append(name)
        }
        let base = inside.hasSuffix("/") ? inside : inside + "/"
        return names.sorted().map { base + $0 }.filter { isFile($0) }
    }

    /// The paths (inside the root) matching the shell pattern `inside`, sorted.
    public func glob(_ inside: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        #if canImport(Glibc)
            guard Glibc.glob(hostPath(inside), 0, nil, &result) == 0 else { return [] }
        #else
            guard Darwin.glob(hostPath(inside), 0, nil, &result) == 0 else { return [] }
        #endif
        var matches: [String] = []
        for index in 0..<Int(result.gl_pathc) {
            guard let cString = result.gl_pathv[index] else { continue }
            let host = String(cString: cString)
            matches.append(path == "/" ? host : String(host.dropFirst(path.count)))
        }
        return matches.sorted()
    }
}
