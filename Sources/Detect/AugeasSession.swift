import CAugeas

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The only code that talks to libaugeas: one handle, opened with no autoload and no initial
/// load, explicit transforms for exactly the files detection needs, loads on demand, and the
/// errors Augeas leaves under `/augeas//error`.
///
/// Augeas handles are not thread-safe, so this class is deliberately not `Sendable`; one
/// detection run owns one session. ConfigGen uses the public part (get/set/save) to edit
/// Postfix's main.cf through the stock `Postfix_Main` lens.
public final class AugeasSession {
    /// One top-level node of a loaded file.
    struct Node: Hashable {
        /// The node's label (a variable name, a keyword, `#comment`).
        var label: String
        /// Its value, nil for a node without one.
        var value: String?
        /// Byte offset of the node in the file, when Augeas tracked it.
        var offset: Int?
    }

    /// One entry under `/augeas//error`.
    public struct LoadError: Hashable, Sendable {
        /// The file (as given to `transform`) the error is about, nil for a lens error.
        public var file: String?
        /// The lens module the error is about, for `/augeas/load/<Lens>/error`.
        public var lens: String?
        /// `parse_failed`, `read_failed`, `put_failed`, `mxfm_load`, ...
        public var kind: String
        /// 1-based line, when Augeas gave one.
        public var line: Int?
        /// 0-based column, when Augeas gave one.
        public var column: Int?
        /// Augeas's own message (lens jargon).
        public var message: String?
    }

    private let handle: OpaquePointer

    /// Opens a handle on `root`, searching `lensDirectory` before the stock lens directory.
    public init(root: String, lensDirectory: String?) throws(DetectionError) {
        let flags =
            AUG_NO_LOAD.rawValue | AUG_NO_MODL_AUTOLOAD.rawValue | AUG_NO_ERR_CLOSE.rawValue
            | AUG_ENABLE_SPAN.rawValue
        guard let handle = aug_init(root.isEmpty ? "/" : root, lensDirectory, flags) else {
            throw .augeasUnavailable("aug_init returned no handle")
        }
        if aug_error(handle) != AUG_NOERROR.rawValue {
            let message = aug_error_message(handle).map { String(cString: $0) } ?? "unknown error"
            aug_close(handle)
            throw .augeasUnavailable(message)
        }
        self.handle = handle
    }

    deinit { aug_close(handle) }

    /// Adds `lens` (`Module.lns`) for the file at `path`, an absolute path inside the root.
    public func transform(lens: String, path: String) {
        _ = aug_transform(handle, lens, Self.escapeGlob(path), 0)
    }

    /// Loads every transformed file that is not loaded yet (Augeas skips unchanged files).
    public func load() { _ = aug_load(handle) }

    /// The top-level nodes of the file at `path` in document order, nil when it is not loaded.
    func nodes(of path: String) -> [Node]? {
        let base = "/files" + path.split(separator: "/").map { "/" + escapeName(String($0)) }.joined()
        guard let matches = match(base), !matches.isEmpty else { return nil }
        return match(base + "/*")?.map { nodePath in
            var label: UnsafePointer<CChar>?
            _ = aug_label(handle, nodePath, &label)
            var value: UnsafePointer<CChar>?
            let hasValue = aug_get(handle, nodePath, &value) == 1 && value != nil
            return Node(
                label: label.map { String(cString: $0) } ?? "",
                value: hasValue ? value.map { String(cString: $0) } : nil,
                offset: span(of: nodePath))
        }
    }

    /// Every error Augeas recorded, for files and for lenses.
    public func errors() -> [LoadError] {
        (match("/augeas//error") ?? []).map { errorPath in
            var error = LoadError(kind: get(errorPath) ?? "error")
            let owner = String(errorPath.dropLast("/error".count))
            if owner.hasPrefix("/augeas/files/") {
                error.file = String(owner.dropFirst("/augeas/files".count))
            } else if owner.hasPrefix("/augeas/load/") {
                error.lens = String(owner.dropFirst("/augeas/load/".count))
            }
            error.line = get(errorPath + "/line").flatMap { Int($0) }
            error.column = get(errorPath + "/char").flatMap { Int($0) }
            error.message = get(errorPath + "/message")
            return error
        }
    }

    /// The tree path of the file at `path` (`/files/etc/postfix/main.cf`), names escaped.
    public func treePath(ofFile path: String) -> String {
        "/files" + path.split(separator: "/").map { "/" + escapeName(String($0)) }.joined()
    }

    /// Sets the node at `path` to `value`, creating it (appended) when missing; false when
    /// the path matches several nodes or is invalid.
    @discardableResult
    public func set(_ path: String, value: String) -> Bool {
        aug_set(handle, path, value) == 0
    }

    /// Writes every changed file back (atomically, by rename; mode, owner and symlinks kept);
    /// false when a file could not be written (its `put_failed` entry is in `errors()`).
    public func save() -> Bool {
        aug_save(handle) == 0
    }

    /// Parses the value of the node `node` with `lens` (`Module.lns`) into the tree at `path`
    /// (both outside `/files`), in memory: no file is read. False on failure; a parse error is
    /// then under `/augeas/text<path>/error` (see `textError(at:)`).
    public func storeText(lens: String, node: String, path: String) -> Bool {
        aug_text_store(handle, lens, node, path) == 0
    }

    /// Renders the tree at `path` with `lens` into the node `output`, keeping what is untouched
    /// of the text in `node` (from which `storeText` made the tree). False on failure.
    public func retrieveText(lens: String, node: String, path: String, output: String) -> Bool {
        aug_text_retrieve(handle, lens, node, path, output) == 0
    }

    /// The error `storeText`/`retrieveText` recorded for the tree at `path`, if any.
    public func textError(at path: String) -> LoadError? {
        let errorPath = "/augeas/text" + path + "/error"
        guard let kind = get(errorPath) else { return nil }
        var error = LoadError(kind: kind)
        error.line = get(errorPath + "/line").flatMap { Int($0) }
        error.column = get(errorPath + "/char").flatMap { Int($0) }
        error.message = get(errorPath + "/message")
        return error
    }

    /// Removes the nodes matching `path` and everything below them.
    public func remove(_ path: String) {
        _ = aug_rm(handle, path)
    }

    private func escapeName(_ name: String) -> String {
        var escaped: UnsafeMutablePointer<CChar>?
        guard aug_escape_name(handle, name, &escaped) == 0, let escaped else { return name }
        defer { free(escaped) }
        return String(cString: escaped)
    }

    /// The value of the node at `path` (an Augeas path expression), nil when there is none.
    public func get(_ path: String) -> String? {
        var value: UnsafePointer<CChar>?
        guard aug_get(handle, path, &value) == 1, let value else { return nil }
        return String(cString: value)
    }

    /// The paths of every node matching `path` (an Augeas path expression) in document
    /// order; nil when the expression is invalid.
    public func match(_ path: String) -> [String]? {
        var raw: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        let count = aug_match(handle, path, &raw)
        guard count >= 0, let raw else { return count == 0 ? [] : nil }
        defer { free(raw) }
        var result: [String] = []
        result.reserveCapacity(Int(count))
        for index in 0..<Int(count) {
            if let item = raw[index] {
                result.append(String(cString: item))
                free(item)
            }
        }
        return result
    }

    private func span(of path: String) -> Int? {
        var filename: UnsafeMutablePointer<CChar>?
        var labelStart: UInt32 = 0
        var labelEnd: UInt32 = 0
        var valueStart: UInt32 = 0
        var valueEnd: UInt32 = 0
        var spanStart: UInt32 = 0
        var spanEnd: UInt32 = 0
        let status = aug_span(
            handle, path, &filename, &labelStart, &labelEnd, &valueStart, &valueEnd, &spanStart, &spanEnd)
        free(filename)
        return status == 0 ? Int(spanStart) : nil
    }

    /// Augeas takes transform paths as globs; escape the glob characters of a literal path.
    private static func escapeGlob(_ path: String) -> String {
        var result = ""
        for character in path {
            if character == "*" || character == "?" || character == "[" || character == "]" || character == "\\" {
                result.append("\\")
            }
            result.append(character)
        }
        return result
    }
}
