import Configuration
import Detect
import MilterProtocol
import MilterSupport

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
    /// The configuration directory named with `--config-dir` (or the environment) does not exist.
    case configDirectoryMissing(String)
    /// A milter-manager.conf (or a configuration directory) exists but cannot be read: a
    /// dangling or looping link, a FIFO, a directory, no permission.
    case configurationUnreadable(path: String, reason: String)
    /// Another file exists but cannot be read.
    case unreadableFile(path: String, reason: String)
    /// Postfix's main.cf is not there.
    case mainCfMissing(path: String)
    /// Augeas could not parse main.cf; nothing was written.
    case mainCfUnparsable(path: String, line: Int?, column: Int?, detail: String?)
    /// A main.cf line the edit must change holds bytes that cannot be edited safely.
    case mainCfLineNotEditable(path: String, line: Int, reason: String)
    /// Augeas could not produce the edited main.cf (`put_failed` and the like), or would have
    /// changed more than the milter parameters.
    case mainCfEditFailed(path: String, detail: String)
    /// The manager's socket cannot be written in the MTA's file as it is spelled.
    case socketNotWritable(spec: String, setAt: Provenance, file: String, reason: String)
    /// The file changed between reading and writing it; nothing was written.
    case changedWhileEditing(path: String)
    /// Writing a file failed (the original is untouched).
    case writeFailed(path: String, reason: String)

    /// The message, one line per problem (`FILE:LINE: MESSAGE` where there is a file), each
    /// line with its control characters escaped: a value never starts a line of its own.
    public var lines: [String] {
        let raw: [String]
        switch self {
        case .rootNotReadable(let root):
            raw = ["cannot read root directory \(root)"]
        case .detectionFailed(let error):
            raw = [error.description]
        case .templatesNotFound(let searched):
            raw = [
                "templates/ not found (set \(DataDirectory.environmentVariable)); looked in "
                    + searched.joined(separator: ", ")
            ]
        case .templateUnreadable(let path, let reason):
            raw = ["\(path): cannot read template: \(reason)"]
        case .templateInvalid(let path, let reason):
            raw = ["\(path): invalid template: \(reason)"]
        case .existingConfigurationInvalid(let errors):
            raw = errors.map { "\($0.description) (existing file not replaced; fix or remove it)" }
        case .generatedConfigurationInvalid(let errors):
            raw = errors.map { "generated text does not load: \($0.description)" }
        case .configurationInvalid(let errors):
            raw = errors.map(\.description)
        case .configDirectoryMissing(let path):
            raw = [
                "configuration directory \(path) does not exist; nothing was written "
                    + "(create it, or name the directory that holds milter-manager.conf)"
            ]
        case .configurationUnreadable(let path, let reason):
            raw = ["cannot read \(path): \(reason); nothing was written (fix or remove it)"]
        case .unreadableFile(let path, let reason):
            raw = ["cannot read \(path): \(reason)"]
        case .mainCfMissing(let path):
            raw = ["\(path): no such file (is Postfix installed under this root?)"]
        case .mainCfUnparsable(let path, let line, let column, let detail):
            let location = line.map { ":\($0)" } ?? ""
            let columnText = column.map { ", column \($0 + 1)" } ?? ""
            let detailText = detail.map { " (\($0))" } ?? ""
            raw = ["\(path)\(location): cannot parse near this line\(columnText)\(detailText); file left unchanged"]
        case .mainCfLineNotEditable(let path, let line, let reason):
            raw = ["\(path):\(line): \(reason); edit this line by hand; file left unchanged"]
        case .mainCfEditFailed(let path, let detail):
            raw = ["\(path): cannot write the edited file: \(detail); file left unchanged"]
        case .socketNotWritable(let spec, let setAt, let file, let reason):
            let location: String
            switch setAt {
            case .file(let at): location = "\(at.file):\(at.line): "
            case .detected(let at): location = at.map { "\($0.file):\($0.line): " } ?? ""
            case .default, .commandLine: location = ""
            }
            raw = [
                "\(location)manager.connection_spec \(RubyLiteral.inspect(spec)) cannot be written in \(file): "
                    + "\(reason); choose a socket without it; nothing was written"
            ]
        case .changedWhileEditing(let path):
            raw = ["\(path) changed while it was being edited; nothing was written (run the command again)"]
        case .writeFailed(let path, let reason):
            raw = ["cannot write \(path): \(reason)"]
        }
        return raw.map(ControlCharacters.escapedIfNeeded)
    }

    /// The message lines joined with newlines.
    public var description: String { lines.joined(separator: "\n") }

    /// The exit status for this error: 66 (EX_NOINPUT) when the configuration named cannot be
    /// read (a missing `--config-dir`, an unreadable milter-manager.conf), 78 (EX_CONFIG) for
    /// configuration files of ours that do not load and sockets that cannot be written as
    /// configured, 1 for everything else.
    public var exitStatus: Int32 {
        switch self {
        case .configDirectoryMissing, .configurationUnreadable: return 66
        case .existingConfigurationInvalid, .configurationInvalid, .socketNotWritable: return 78
        case .rootNotReadable, .detectionFailed, .templatesNotFound, .templateUnreadable, .templateInvalid,
            .generatedConfigurationInvalid, .unreadableFile, .mainCfMissing, .mainCfUnparsable,
            .mainCfLineNotEditable, .mainCfEditFailed, .changedWhileEditing, .writeFailed:
            return 1
        }
    }
}
