import MilterProtocol

/// The sendmail.mc line that makes Sendmail use milter manager
/// (`templates/sendmail.mc.mustache`): `INPUT_MAIL_FILTER(`milter-manager', `S=...')` with the
/// manager's socket in Sendmail's spelling (`unix:/path`, `inet:PORT@HOST`).
public enum SendmailSnippet {
    /// The template name (without `.mustache`).
    public static let templateName = "sendmail.mc"

    /// The snippet for the manager listening on `connectionSpec`.
    public static func render(connectionSpec: ConnectionSpec, templates: TemplateSet) throws(ConfigGenError) -> String {
        try templates.render(templateName, ["connectionSpec": connectionSpec.sendmailDescription])
    }
}
