import Configuration
import Detect
import Mustache

/// The Mustache templates under `<data directory>/templates` (milter-manager.conf, the
/// Postfix main.cf lines, the Sendmail .mc line), read from disk at run time so that an
/// installation can adjust them without rebuilding.
///
/// Templates start with `{{% CONTENT_TYPE: TEXT}}`: nothing is HTML-escaped, so every value
/// handed to a template is already written in the target file's own syntax.
public struct TemplateSet: Sendable {
    /// The directory holding the `.mustache` files.
    public var directory: String

    /// The templates in `directory`.
    public init(directory: String) {
        self.directory = directory
    }

    /// The templates of `dataDirectory`, or of the running process's data directory.
    public static func locate(dataDirectory: DataDirectory? = DataDirectory.locate()) throws(ConfigGenError)
        -> TemplateSet
    {
        guard let dataDirectory, RootDirectory("/").isDirectory(dataDirectory.templatesPath) else {
            throw .templatesNotFound(searched: [dataDirectory?.templatesPath ?? "(no data directory)"])
        }
        return TemplateSet(directory: dataDirectory.templatesPath)
    }

    /// The template `name` (without `.mustache`) rendered with `context`.
    public func render(_ name: String, _ context: [String: Any]) throws(ConfigGenError) -> String {
        let path = directory + "/" + name + ".mustache"
        let text: String
        do {
            text = try RootDirectory("/").readText(path)
        } catch {
            throw .templateUnreadable(path: path, reason: error.description)
        }
        let template: MustacheTemplate
        do {
            template = try MustacheTemplate(string: text)
        } catch {
            throw .templateInvalid(path: path, reason: String(describing: error))
        }
        return template.render(context)
    }
}
