import Configuration
import Detect

/// Why a ConfigGen operation stopped without writing anything. Each case carries the file (as
/// seen inside the root) and, where there is one, the line, so that the message can follow
/// the `PROGRAM: FILE:LINE: MESSAGE` contract.
public enum ConfigGenError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The root directory cannot be read.
    case rootNotReadable(String)
    /// Detection could not run at all.
    case detectionFailed(DetectionError)
    /// No data directory holding `templates/` was found.
    case templatesNotFound(searched: [String])
    /// A template file is missing or unreadable.
    case templateUnreadable(path: String, reason: String)
    /// A template does not parse as Mustache.
    case templateInvalid(path: String, reason: String)
    /// The existing milter-manager.conf does not load; it is left alone.
    case existingConfigurationInvalid([ConfigurationError])
    /// What we rendered does not load back (a bug in a template or in ConfigGen).
    case generatedConfigurationInvalid([ConfigurationError])
    /// The effective configuration (for the manager's socket) has errors.
    case configurationInvalid([ConfigurationError])
    /// A file exists but cannot be read.
    case unreadableFile(path: String, reason: String)
    /// Postfix's main.cf is not there.
    case mainCfMissing(path: String)
    /// Augeas could not parse main.cf; nothing was written.
    case mainCfUnparsable(path: String, line: Int?, column: Int?, detail: String?)
    /// Augeas could not produce the edited main.cf (`put_failed` and the like).
    case mainCfEditFailed(path: String, detail: String)
    /// Writing a file failed (the original is untouched).
    case writeFailed(path: String, reason: String)

    /// The message (`FILE:LINE: MESSAGE` where there is a file), one line per problem.
    public var description: String {
        switch self {
        case .rootNotReadable(let root):
            return "cannot read root directory \(root)"
        case .detectionFailed(let error):
            return error.description
        case .templatesNotFound(let searched):
            return "templates/ not found (set \(DataDirectory.environmentVariable)); looked in "
                + searched.joined(separator: ", ")
        case .templateUnreadable(let path, let reason):
            return "\(path): cannot read template: \(reason)"
        case .templateInvalid(let path, let reason):
            return "\(path): invalid template: \(reason)"
        case .existingConfigurationInvalid(let errors):
            return errors.map { "\($0.description) (existing file not replaced; fix or remove it)" }
                .joined(separator: "\n")
        case .generatedConfigurationInvalid(let errors):
            return errors.map { "generated text does not load: \($0.description)" }.joined(separator: "\n")
        case .configurationInvalid(let errors):
            return errors.map(\.description).joined(separator: "\n")
        case .unreadableFile(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .mainCfMissing(let path):
            return "\(path): no such file (is Postfix installed under this root?)"
        case .mainCfUnparsable(let path, let line, let column, let detail):
            let location = line.map { ":\($0)" } ?? ""
            let columnText = column.map { ", column \($0 + 1)" } ?? ""
            let detailText = detail.map { " (\($0))" } ?? ""
            return "\(path)\(location): cannot parse near this line\(columnText)\(detailText); file left unchanged"
        case .mainCfEditFailed(let path, let detail):
            return "\(path): cannot write the edited file: \(detail); file left unchanged"
        case .writeFailed(let path, let reason):
            return "cannot write \(path): \(reason)"
        }
    }

    /// The exit status for this error: 78 (EX_CONFIG) for configuration files of ours that do
    /// not load, 1 for everything else.
    public var exitStatus: Int32 {
        switch self {
        case .existingConfigurationInvalid, .configurationInvalid: return 78
        case .rootNotReadable, .detectionFailed, .templatesNotFound, .templateUnreadable, .templateInvalid,
            .generatedConfigurationInvalid, .unreadableFile, .mainCfMissing, .mainCfUnparsable, .mainCfEditFailed,
            .writeFailed:
            return 1
        }
    }
}
