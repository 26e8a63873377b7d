import Configuration
import MilterProtocol
import MilterSupport

/// The sendmail.mc line that makes Sendmail use milter manager
/// (`templates/sendmail.mc.mustache`): `INPUT_MAIL_FILTER(`milter-manager', `S=...')` with the
/// manager's socket in Sendmail's spelling (`unix:/path`, `inet:PORT@HOST`).
public enum SendmailSnippet {
    /// The template name (without `.mustache`).
    public static let templateName = "sendmail.mc"

    /// The snippet for the manager listening on `connectionSpec` (set at `setAt`, for the
    /// message when it cannot be written in sendmail.mc).
    public static func render(connectionSpec: ConnectionSpec, setAt: Provenance = .default, templates: TemplateSet)
        throws(ConfigGenError) -> String
    {
        let value = connectionSpec.sendmailDescription
        if let reason = problem(withValue: value) {
            throw .socketNotWritable(
                spec: connectionSpec.description, setAt: setAt, file: "sendmail.mc", reason: reason)
        }
        return try templates.render(templateName, ["connectionSpec": value])
    }

    /// Why `value` cannot be the `S=` equate of an m4 `INPUT_MAIL_FILTER` line, or nil: m4
    /// quotes with a backquote and a quote, and sendmail.cf separates equates with commas.
    static func problem(withValue value: String) -> String? {
        for scalar in value.unicodeScalars {
            if ControlCharacters.isControl(scalar) { return "Sendmail cannot take a control character in S=" }
            switch scalar {
            case " ": return "Sendmail cannot take a space in S="
            case ",": return "Sendmail separates the equates of a filter with commas"
            case "'", "`": return "m4 reads quotes in sendmail.mc"
            default: continue
            }
        }
        return nil
    }
}
