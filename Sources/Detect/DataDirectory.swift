#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The directory of the files milter manager ships besides its executables: `templates/`
/// (for ConfigGen).
///
/// Found at run time, first match wins:
/// 1. `$MILTER_MANAGER_DATA_DIR`;
/// 2. `<directory of the executable>/../share/milter-manager` (an installation);
/// 3. the source checkout this file was compiled from (`swift run`, `swift test`).
/// A candidate counts when it holds `templates/`.
public struct DataDirectory: Hashable, Sendable {
    /// The directory itself.
    public var path: String

    /// The template directory, `<path>/templates`.
    public var templatesPath: String { path + "/templates" }

    /// A data directory at `path` (not checked).
    public init(path: String) {
        self.path = path
    }

    /// The environment variable that names the data directory.
    public static let environmentVariable = "MILTER_MANAGER_DATA_DIR"

    /// This file's path at compile time, to find the source checkout.
    private static let thisSourceFile = #filePath

    /// The first existing candidate for an executable at `executablePath` with `environment`
    /// (`sourceFile`: a file three levels below the checkout; nil for this one).
    public static func resolve(
        environment: [String: String], executablePath: String?, sourceFile: String? = nil
    ) -> DataDirectory? {
        candidates(environment: environment, executablePath: executablePath, sourceFile: sourceFile)
            .first(where: isDataDirectory)
            .map(DataDirectory.init(path:))
    }

    /// The candidates in the order they are tried.
    public static func candidates(
        environment: [String: String], executablePath: String?, sourceFile: String? = nil
    ) -> [String] {
        var result: [String] = []
        if let configured = environment[environmentVariable], !configured.isEmpty { result.append(configured) }
        if let executablePath, let slash = executablePath.lastIndex(of: "/") {
            result.append(String(executablePath[..<slash]) + "/../share/milter-manager")
        }
        // Sources/Detect/DataDirectory.swift -> the package directory.
        let file = sourceFile ?? thisSourceFile
        var checkout = file
        for _ in 0..<3 {
            guard let slash = checkout.lastIndex(of: "/") else { break }
            checkout = String(checkout[..<slash])
        }
        if checkout != file { result.append(checkout) }
        return result
    }

    /// The data directory of the running process (its environment and executable).
    public static func locate() -> DataDirectory? {
        var environment: [String: String] = [:]
        if let value = getenv(environmentVariable) { environment[environmentVariable] = String(cString: value) }
        return resolve(environment: environment, executablePath: currentExecutablePath())
    }

    private static func isDataDirectory(_ path: String) -> Bool {
        isDirectory(path + "/templates")
    }

    private static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    private static func currentExecutablePath() -> String? {
        #if os(Linux)
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
            if count > 0 {
                return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
        #endif
        return CommandLine.arguments.first
    }
}
