import Configuration

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Replaces a file under a root the safe way: only when its content changes, keeping the
/// previous content as `<file>.bak`, and atomically, with the old file's mode and owner, never
/// outside the root (`RootDirectory.replaceFile`: symlinks resolved inside the root, missing
/// parents created inside it, temporary files opened without following links). A symlink is
/// kept: its target (inside the root) is replaced; the backup replaces whatever entry is at
/// `<file>.bak` and is never written through a link.
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

    /// The current bytes of `path` (inside the root, symlinks resolved inside it), nil when
    /// nothing is there. A dangling or looping link, a FIFO, a directory, a file that cannot be
    /// read or is larger than the limit is an error naming the path.
    public func currentBytes(of path: String) throws(ConfigGenError) -> [UInt8]? {
        do {
            return try root.readBytes(path)
        } catch {
            switch error {
            case .notFound:
                guard root.entryExists(path) else { return nil }
                throw .unreadableFile(path: path, reason: "it is a dangling symbolic link")
            case .unreadable, .notRegularFile, .tooLarge, .symlinkLoop:
                throw .unreadableFile(path: path, reason: error.description)
            }
        }
    }

    /// Makes `path` (inside the root) hold `text`.
    public func update(_ path: String, with text: String) throws(ConfigGenError) -> Outcome {
        try update(path, with: Array(text.utf8))
    }

    /// Makes `path` (inside the root) hold `bytes`; new files get mode 0644 and missing parent
    /// directories are created (0755) inside the root. With `expecting`, the file must still
    /// hold those bytes (nil: must still be missing), else nothing is written: it changed
    /// since it was read.
    public func update(_ path: String, with bytes: [UInt8], expecting: [UInt8]?? = .none) throws(ConfigGenError)
        -> Outcome
    {
        let current = try currentBytes(of: path)
        if let expecting, current != expecting { throw .changedWhileEditing(path: path) }
        if current == bytes { return .unchanged }
        do {
            if let current {
                let attributes = root.attributes(of: path)
                try root.replaceFile(path + Self.backupSuffix, with: current, attributes: attributes, followLink: false)
            }
            try root.replaceFile(path, with: bytes)
        } catch {
            throw .writeFailed(path: path, reason: error.description)
        }
        return current == nil ? .created : .replaced(backup: path + Self.backupSuffix)
    }
}
