import Configuration
import MilterProtocol
import MilterSupport

/// Renders a generated milter-manager.conf from a detection report through
/// `templates/milter-manager.conf.mustache`. Values read from other packages' files appear
/// only in comments, with their control characters escaped (`commentText`); the one statement
/// with a value is written as a Ruby literal (`RubyLiteral`).
///
/// The file pins the platform and calls `load_default`, so that the daemon detects the
/// milters again at every start and reload: a milter disabled with the service manager
/// disappears after a reload without regenerating anything. What detection found when the
/// file was written is listed in comments (name, state, socket, where the socket was read),
/// with detection's diagnostics, for the administrator. It ends with
/// `load_if_exist "milter-manager.local.conf"`, the place for local changes.
public struct ManagerConfigurationRenderer: Sendable {
    /// The template name (without `.mustache`).
    public static let templateName = "milter-manager.conf"

    /// Where the templates are.
    public var templates: TemplateSet

    /// A renderer using `templates`.
    public init(templates: TemplateSet) {
        self.templates = templates
    }

    /// The file text for `report`; with `chroot` (Postfix's smtpd runs chrooted), the file
    /// also puts the manager's socket where the chrooted smtpd can reach it.
    public func render(_ report: DetectionReport, chroot: PostfixChroot? = nil) throws(ConfigGenError) -> String {
        var context = Self.context(for: report)
        if let chroot { context["chroot"] = Self.chrootContext(chroot) }
        return try templates.render(Self.templateName, context)
    }

    /// The socket under a chrooted smtpd's queue directory, with the group Postfix runs as.
    static func chrootSocket(_ chroot: PostfixChroot) -> WrittenConnectionSpec {
        let directory = chroot.directory.hasSuffix("/") ? String(chroot.directory.dropLast()) : chroot.directory
        return WrittenConnectionSpec(.unix(path: directory + "/milter-manager/milter-manager.sock"))
    }

    static func chrootContext(_ chroot: PostfixChroot) -> [String: Any] {
        let socket = chrootSocket(chroot)
        let directory = String(socket.text.dropFirst("unix:".count).dropLast("/milter-manager.sock".count))
        return [
            "directory": commentText(chroot.directory),
            "masterCf": commentText("\(PostfixMasterCf.path):\(chroot.masterCfLine)"),
            "socketDirectory": commentText(directory),
            "specLiteral": RubyLiteral.inspect(socket.text),
            "groupLiteral": RubyLiteral.inspect(PostfixChroot.postfixGroup),
        ]
    }

    /// The values the template sees: `platform`, `platformLiteral`, `milters` (each a
    /// pre-aligned `row`), `diagnostics` and the `has...` flags for the sections.
    static func context(for report: DetectionReport) -> [String: Any] {
        let diagnostics: [[String: Any]] = report.diagnostics.map { diagnostic in
            [
                "severity": diagnostic.severity.rawValue,
                "location": commentText("\(diagnostic.location.file):\(diagnostic.location.line)"),
                "message": commentText(diagnostic.message),
            ]
        }
        let columns: [[String]] = report.milters.map { milter in
            [
                milter.name, milter.enabled ? "enabled" : "disabled",
                milter.writtenConnectionSpec?.text ?? "(no socket found)",
                milter.source.map { "\($0.file):\($0.line)" } ?? "",
            ].map(commentText)
        }
        let widths = (0..<3).map { column in columns.map { $0[column].count }.max() ?? 0 }
        let milters: [[String: Any]] = columns.map { row in
            var text = ""
            for (index, cell) in row.enumerated() {
                text += index < widths.count ? cell.padding(to: widths[index] + 2) : cell
            }
            return ["row": text.trimmingBlanks()]
        }
        return [
            "platform": report.platform.rawValue,
            "platformLiteral": RubyLiteral.inspect(report.platform.rawValue),
            "hasMilters": !milters.isEmpty,
            "milters": milters,
            "hasDiagnostics": !diagnostics.isEmpty,
            "diagnostics": diagnostics,
        ]
    }

    /// `text` for a `#` comment line: every control character escaped (`\n`, `\x0B`), so that
    /// a value read from another package's file can never end the comment and start a
    /// statement.
    static func commentText(_ text: String) -> String {
        ControlCharacters.escapedIfNeeded(text)
    }
}

extension String {
    /// The string followed by spaces up to `width` characters.
    func padding(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
