#if canImport(Glibc)
    import Glibc
#endif

/// What stops the analyzer, or one file of it, with the path concerned.
public enum AnalyzerError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The output directory cannot be used.
    case outputDirectory(path: String, problem: DirectoryProblem)
    /// The log cannot be read.
    case log(path: String, problem: FileProblem)
    /// A file the analyzer writes exists and is not a regular file (a link, a directory, ...):
    /// it is left alone.
    case notRegularFile(path: String)
    /// A file could not be written.
    case cannotWrite(path: String, code: Int32)
    /// librrd failed.
    case rrd(RRDError)

    /// Why the output directory cannot be used.
    public enum DirectoryProblem: Hashable, Sendable {
        /// It exists and is not a directory.
        case notADirectory
        /// It is a symbolic link that leads nowhere (dangling or looping).
        case brokenLink(code: Int32)
        /// It is a symbolic link to something that is not a directory.
        case linkToNonDirectory
        /// It could not be created or opened.
        case cannotOpen(code: Int32)
        /// The analyzer's user cannot write in it.
        case notWritable
        /// Another analyzer holds its lock.
        case busy
    }

    /// Why the log cannot be read.
    public enum FileProblem: Hashable, Sendable {
        /// It could not be opened.
        case cannotOpen(code: Int32)
        /// It is a directory.
        case isDirectory
        /// Reading failed.
        case readFailed(code: Int32)
    }

    /// One line for standard error, saying what to do where there is something to do.
    public var description: String {
        switch self {
        case .outputDirectory(let path, let problem):
            switch problem {
            case .notADirectory:
                return "output directory \(path) exists and is not a directory; give another --output-directory"
            case .brokenLink(let code):
                return "output directory \(path) is a symbolic link that leads nowhere (\(Self.reason(code)))"
            case .linkToNonDirectory:
                return "output directory \(path) is a symbolic link to something that is not a directory"
            case .cannotOpen(let code): return "cannot create or open output directory \(path): \(Self.reason(code))"
            case .notWritable:
                return
                    "output directory \(path) is not writable by this user; run as its owner (the cron example runs as milter-manager)"
            case .busy:
                return "another milter-manager-log-analyzer is updating \(path); nothing done (the next run catches up)"
            }
        case .log(let path, let problem):
            switch problem {
            case .cannotOpen(let code): return "cannot open log \(path): \(Self.reason(code))"
            case .isDirectory: return "log \(path) is a directory; give the log file (--log /var/log/mail.log)"
            case .readFailed(let code): return "cannot read log \(path): \(Self.reason(code))"
            }
        case .notRegularFile(let path):
            return
                "\(path) is not a regular file (a link, a directory, ...); left alone: remove it to let the analyzer write it"
        case .cannotWrite(let path, let code): return "cannot write \(path): \(Self.reason(code))"
        case .rrd(let error): return error.description
        }
    }

    static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}
