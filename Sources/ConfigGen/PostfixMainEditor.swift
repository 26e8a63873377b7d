import Configuration
import Detect
import MilterProtocol

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `milter-manager-config postfix --apply`: sets the milter parameters in
/// `ROOT/etc/postfix/main.cf` through Augeas's stock `Postfix_Main` lens, so that comments,
/// blank lines, continuation lines and every other parameter stay as they are.
///
/// Augeas edits a private copy in a temporary directory; the result is compared with the
/// original and written with `FileUpdater` (atomic, `main.cf.bak`, mode and owner kept). A
/// main.cf that Augeas cannot parse is refused with its line, and never written. A parameter
/// that already has the wanted value (compared element by element) is not touched, so a
/// second run changes nothing.
///
/// `smtpd_milters` that names other milters is replaced by the manager's socket alone: the
/// manager must be Postfix's only milter (define the others as its children instead).
public struct PostfixMainEditor: Sendable {
    /// Where main.cf is, inside the root.
    public static let mainCfPath = "/etc/postfix/main.cf"

    /// The file-system root.
    public var root: String
    /// The parameters to set.
    public var settings: PostfixSettings

    /// An editor for `root`'s main.cf.
    public init(root: String, settings: PostfixSettings) {
        self.root = root
        self.settings = settings
    }

    /// What `write` would do.
    public struct Plan: Hashable, Sendable {
        /// main.cf's path inside the root.
        public var path: String
        /// The current text.
        public var currentText: String
        /// The edited text (the current one when nothing changes).
        public var newText: String
        /// Remarks for the administrator (replaced milters).
        public var notes: [String]

        /// True when main.cf already has every parameter.
        public var isUpToDate: Bool { currentText == newText }

        /// The change as a unified diff (empty when up to date).
        public var diff: String {
            UnifiedDiff.render(old: currentText, new: newText, oldName: path, newName: path)
        }
    }

    /// Reads main.cf and computes the edited text; writes nothing under the root.
    public func plan() throws(ConfigGenError) -> Plan {
        let path = Self.mainCfPath
        guard RootDirectory(root).isReadable else { throw .rootNotReadable(root) }
        let updater = FileUpdater(root: RootDirectory(root))
        guard let bytes = try updater.currentBytes(of: path) else { throw .mainCfMissing(path: path) }
        let currentText = String(decoding: bytes, as: UTF8.self)

        let scratch = try ScratchRoot(label: "postfix")
        defer { scratch.remove() }
        try scratch.store(bytes, at: path)
        let session: AugeasSession
        do {
            session = try AugeasSession(root: scratch.path, lensDirectory: nil)
        } catch {
            throw .mainCfEditFailed(path: path, detail: error.description)
        }
        session.transform(lens: "Postfix_Main.lns", path: path)
        session.load()
        if let error = session.errors().first {
            guard error.file == path else {
                throw .mainCfEditFailed(path: path, detail: "\(error.kind): \(error.message ?? "")")
            }
            throw .mainCfUnparsable(path: path, line: error.line, column: error.column, detail: error.message)
        }

        let base = session.treePath(ofFile: path)
        var notes: [String] = []
        var changed = false
        for parameter in settings.parameters {
            let matches = session.match(base + "/" + parameter.name) ?? []
            let current = matches.last.flatMap(session.get)
            if let current, Self.sameValue(current, parameter) { continue }
            if parameter.name == "smtpd_milters", let current {
                let others = PostfixSettings.elements(of: current).filter { !Self.sameValue($0, parameter) }
                if !others.isEmpty {
                    notes.append(
                        "smtpd_milters listed \(others.joined(separator: " ")); replaced by milter manager's socket "
                            + "(milter manager must be Postfix's only milter: define the others as its children "
                            + "in milter-manager.local.conf)")
                }
            }
            let target = matches.isEmpty ? base + "/" + parameter.name : matches[matches.count - 1]
            guard session.set(target, value: parameter.value) else {
                throw .mainCfEditFailed(path: path, detail: "cannot set \(parameter.name)")
            }
            changed = true
        }
        guard changed else { return Plan(path: path, currentText: currentText, newText: currentText, notes: notes) }
        guard session.save() else {
            let detail = session.errors().first.map { "\($0.kind): \($0.message ?? "")" } ?? "save failed"
            throw .mainCfEditFailed(path: path, detail: String(detail.prefix { $0 != "\n" }))
        }
        let newBytes = try scratch.read(path) ?? bytes
        return Plan(
            path: path, currentText: currentText, newText: String(decoding: newBytes, as: UTF8.self), notes: notes)
    }

    /// Writes the plan's text (nothing when up to date), keeping the previous file as `.bak`.
    public func write(_ plan: Plan) throws(ConfigGenError) -> FileUpdater.Outcome {
        try FileUpdater(root: RootDirectory(root)).update(plan.path, with: plan.newText)
    }

    /// Whether the main.cf value `current` already says what `parameter` wants: the same
    /// elements, and for `smtpd_milters` the same socket however it is spelled.
    static func sameValue(_ current: String, _ parameter: PostfixSettings.Parameter) -> Bool {
        let have = PostfixSettings.elements(of: current)
        let want = PostfixSettings.elements(of: parameter.value)
        if have == want { return true }
        guard parameter.name == "smtpd_milters", have.count == 1, want.count == 1 else { return false }
        guard let left = try? ConnectionSpec(postfix: have[0]), let right = try? ConnectionSpec(postfix: want[0]) else {
            return false
        }
        return left == right
    }
}
