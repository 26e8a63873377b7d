import MilterSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The directory the RRD files, graphs and index.html live in, opened and locked for one run.
///
/// A missing directory is created; a symbolic link to a directory is followed once and the real
/// path used from then on; anything else that is not a directory is an error. Graphs and
/// index.html are written to a temporary file and renamed into place (a link planted under
/// their name is replaced, never followed); an RRD file must be a regular file, or absent.
public final class OutputDirectory {
    /// The path as given.
    public let path: String
    /// The real path, used for every file.
    public let resolved: String
    private let descriptor: Int32

    /// Opens `path` (creating it and its parents when missing) and takes its lock, so that two
    /// runs from cron never update the same files at once.
    public init(_ path: String) throws(AnalyzerError) {
        self.path = path
        var info = stat()
        if lstat(path, &info) != 0 {
            guard errno == ENOENT else { throw .outputDirectory(path: path, problem: .cannotOpen(code: errno)) }
            try Self.createDirectories(path)
        } else if info.st_mode & S_IFMT == S_IFLNK {
            var target = stat()
            guard stat(path, &target) == 0 else {
                throw .outputDirectory(path: path, problem: .brokenLink(code: errno))
            }
            guard target.st_mode & S_IFMT == S_IFDIR else {
                throw .outputDirectory(path: path, problem: .linkToNonDirectory)
            }
        } else if info.st_mode & S_IFMT != S_IFDIR {
            throw .outputDirectory(path: path, problem: .notADirectory)
        }
        guard let real = realpath(path, nil) else {
            throw .outputDirectory(path: path, problem: .cannotOpen(code: errno))
        }
        resolved = String(cString: real)
        free(real)
        descriptor = open(resolved, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .outputDirectory(path: path, problem: .cannotOpen(code: errno)) }
        guard access(resolved, W_OK | X_OK) == 0 else {
            close(descriptor)
            throw .outputDirectory(path: path, problem: .notWritable)
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(descriptor)
            throw .outputDirectory(path: path, problem: code == EWOULDBLOCK ? .busy : .cannotOpen(code: code))
        }
    }

    deinit { close(descriptor) }

    /// The full path of `name` in the directory.
    public func file(_ name: String) -> String { resolved + "/" + name }

    /// The RRD files in the directory, and the entries named like one that are not regular files.
    public func databases() -> (found: [RRDDatabase], notRegular: [String]) {
        guard let directory = opendir(resolved) else { return ([], []) }
        defer { closedir(directory) }
        var found: [RRDDatabase] = []
        var notRegular: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard let database = RRDDatabase(fileName: name) else { continue }
            if isRegularOrAbsent(name) == true { found.append(database) } else { notRegular.append(file(name)) }
        }
        return (found.sorted(), notRegular.sorted())
    }

    /// True for a regular file, nil when nothing is there, false for anything else.
    public func isRegularOrAbsent(_ name: String) -> Bool? {
        var info = stat()
        guard lstat(file(name), &info) == 0 else { return errno == ENOENT ? nil : false }
        return info.st_mode & S_IFMT == S_IFREG
    }

    /// Writes `bytes` as `name` (mode 0644) through a temporary file and a rename.
    public func write(_ bytes: [UInt8], as name: String) throws(AnalyzerError) {
        var template = Array(file(".\(name).XXXXXX").utf8CString)
        let temporary = mkstemp(&template)
        guard temporary >= 0 else { throw .cannotWrite(path: file(name), code: errno) }
        let temporaryPath = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        do {
            try DescriptorWriter.writeAll(bytes, to: temporary)
        } catch {
            close(temporary)
            unlink(temporaryPath)
            throw .cannotWrite(path: file(name), code: error.code)
        }
        fchmod(temporary, 0o644)
        close(temporary)
        guard rename(temporaryPath, file(name)) == 0 else {
            let code = errno
            unlink(temporaryPath)
            throw .cannotWrite(path: file(name), code: code)
        }
    }

    private static func createDirectories(_ path: String) throws(AnalyzerError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw .outputDirectory(path: path, problem: .cannotOpen(code: errno))
            }
            prefix += "/"
        }
    }
}
