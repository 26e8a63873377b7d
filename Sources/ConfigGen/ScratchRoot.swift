import Configuration

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A private temporary directory used as an Augeas root, so that an edit can be computed
/// (and shown by `--dry-run`) without writing anything under the real root.
final class ScratchRoot {
    /// The directory on the host.
    let path: String
    private var files: [String] = []
    private var directories: [String] = []

    /// A new empty directory under `$TMPDIR` (or /tmp).
    init(label: String) throws(ConfigGenError) {
        let base = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(base)/milter-manager-config-\(label)-XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else {
            throw .writeFailed(path: base, reason: "mkdtemp: \(String(cString: strerror(errno)))")
        }
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Writes `bytes` to `inside` (an absolute path under the scratch root), creating parents.
    func store(_ bytes: [UInt8], at inside: String) throws(ConfigGenError) {
        var directory = path
        for component in inside.split(separator: "/").dropLast() {
            directory += "/" + component
            if mkdir(directory, 0o700) == 0 { directories.append(directory) }
        }
        let file = path + inside
        let descriptor = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw .writeFailed(path: file, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        files.append(file)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { throw .writeFailed(path: file, reason: String(cString: strerror(errno))) }
            written += count
        }
    }

    /// The bytes of `inside`, nil when missing.
    func read(_ inside: String) throws(ConfigGenError) -> [UInt8]? {
        do {
            return try FileUpdater.readBytes(path + inside)
        } catch {
            throw .unreadableFile(path: path + inside, reason: error.reason)
        }
    }

    /// Removes what was created (Augeas may leave its own files beside ours: listed and removed).
    func remove() {
        for file in files { unlink(file) }
        for directory in directories.reversed() {
            if let handle = opendir(directory) {
                while let entry = readdir(handle) {
                    let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                    }
                    if name != "." && name != ".." { unlink(directory + "/" + name) }
                }
                closedir(handle)
            }
            rmdir(directory)
        }
        rmdir(path)
    }
}
