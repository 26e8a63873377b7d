import Configuration
import Detect
import MilterProtocol
import MilterSupport

/// `milter-manager-config postfix --apply`: sets the milter parameters in
/// `ROOT/etc/postfix/main.cf` through Augeas's stock `Postfix_Main` lens, so that comments,
/// blank lines, continuation lines and every other parameter stay as they are, byte for byte.
///
/// Augeas parses and renders a sanitised copy of the text in memory (no file is written for
/// it); `PostfixMainSplice` puts the lines Augeas changed back into the original bytes, and
/// refuses the edit when Augeas would change anything but the milter parameters. The result
/// is written with `FileUpdater` (atomic, `main.cf.bak`, mode and owner kept, never outside the
/// root). A main.cf that Augeas cannot parse is refused with its line, and never written. A
/// parameter that already has the wanted value (compared element by element) is not touched,
/// so a second run changes nothing.
///
/// `smtpd_milters` that names other milters is replaced by the manager's socket alone: the
/// manager must be Postfix's only milter (define the others as its children instead).
public struct PostfixMainEditor: Sendable {
    /// The Augeas lens.
    static let lens = "Postfix_Main.lns"

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
        /// The current bytes.
        public var currentBytes: [UInt8]
        /// The edited bytes (the current ones when nothing changes).
        public var newBytes: [UInt8]
        /// Remarks for the administrator (replaced milters).
        public var notes: [String]

        /// True when main.cf already has every parameter.
        public var isUpToDate: Bool { currentBytes == newBytes }

        /// The edited file as text, for reading (invalid UTF-8 shown as U+FFFD).
        public var newText: String { String(decoding: newBytes, as: UTF8.self) }

        /// The change as a unified diff (empty when up to date).
        public var diff: String {
            UnifiedDiff.render(old: currentBytes, new: newBytes, oldName: path, newName: path)
        }
    }

    /// The edited bytes of a main.cf and the notes for the administrator.
    public struct Edit: Hashable, Sendable {
        /// The whole new file.
        public var bytes: [UInt8]
        /// Remarks (replaced milters).
        public var notes: [String]
    }

    /// Reads main.cf and computes the edited bytes; writes nothing.
    public func plan() throws(ConfigGenError) -> Plan {
        let path = PostfixMainCf.path
        guard RootDirectory(root).isReadable else { throw .rootNotReadable(root) }
        guard let bytes = try FileUpdater(root: RootDirectory(root)).currentBytes(of: path) else {
            throw .mainCfMissing(path: path)
        }
        let session: AugeasSession
        do {
            session = try AugeasSession(root: "/", lensDirectory: nil)
        } catch {
            throw .mainCfEditFailed(path: path, detail: error.description)
        }
        let edit = try Self.edit(bytes, settings: settings, session: session, path: path)
        return Plan(path: path, currentBytes: bytes, newBytes: edit.bytes, notes: edit.notes)
    }

    /// Writes the plan's bytes (nothing when up to date), keeping the previous file as `.bak`;
    /// nothing is written when main.cf changed since the plan read it.
    public func write(_ plan: Plan) throws(ConfigGenError) -> FileUpdater.Outcome {
        try FileUpdater(root: RootDirectory(root)).update(plan.path, with: plan.newBytes, expecting: plan.currentBytes)
    }

    /// The main.cf `original` with `settings` applied, computed with `session` in memory
    /// (`path` names the file in messages).
    public static func edit(_ original: [UInt8], settings: PostfixSettings, session: AugeasSession, path: String)
        throws(ConfigGenError) -> Edit
    {
        let lines = PostfixMainSplice(original)
        let names = Set(settings.parameters.map(\.name))
        if let unsafe = lines.unsafeLine(owners: names) {
            throw .mainCfLineNotEditable(
                path: path, line: unsafe.index + 1,
                reason: "this milter parameter holds \(unsafe.replaced), which cannot be edited safely")
        }
        let input = "/milter-manager-config/input"
        let tree = "/milter-manager-config/tree"
        let output = "/milter-manager-config/output"
        session.remove("/milter-manager-config")
        session.remove("/augeas/text" + tree)
        defer { session.remove("/milter-manager-config") }
        guard session.set(input, value: lines.sanitisedText), session.storeText(lens: lens, node: input, path: tree)
        else {
            let error = session.textError(at: tree)
            throw .mainCfUnparsable(path: path, line: error?.line, column: error?.column, detail: error?.message)
        }

        var notes: [String] = []
        var changed = false
        for parameter in settings.parameters {
            let matches = session.match(tree + "/" + parameter.name) ?? []
            let current = matches.last.flatMap(session.get)
            if let current, sameValue(current, parameter) { continue }
            if parameter.name == "smtpd_milters", let current {
                let others = PostfixSettings.elements(of: current).filter { !sameValue($0, parameter) }
                if !others.isEmpty {
                    notes.append(
                        "smtpd_milters listed \(others.joined(separator: " ")); replaced by milter manager's socket "
                            + "(milter manager must be Postfix's only milter: define the others as its children "
                            + "in milter-manager.local.conf)")
                }
            }
            let target = matches.isEmpty ? tree + "/" + parameter.name : matches[matches.count - 1]
            guard session.set(target, value: parameter.value) else {
                throw .mainCfEditFailed(path: path, detail: "cannot set \(parameter.name)")
            }
            changed = true
        }
        guard changed else { return Edit(bytes: original, notes: notes) }
        guard session.retrieveText(lens: lens, node: input, path: tree, output: output),
            let edited = session.get(output)
        else {
            let detail = session.textError(at: tree).map { "\($0.kind): \($0.message ?? "")" } ?? "put failed"
            throw .mainCfEditFailed(path: path, detail: String(detail.prefix { $0 != "\n" }))
        }
        do {
            return Edit(bytes: try lines.splice(edited: edited, names: names), notes: notes)
        } catch {
            let what = error.added ? "add line \(error.line) of its result" : "change line \(error.line)"
            throw .mainCfEditFailed(
                path: path, detail: "Augeas would \(what) (\(RubyLiteral.inspect(error.text))), not a milter parameter")
        }
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
