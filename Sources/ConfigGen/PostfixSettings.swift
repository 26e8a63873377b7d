import Configuration
import MilterProtocol
import MilterSupport

/// The main.cf parameters that make Postfix use milter manager
/// (`templates/postfix-main.cf.mustache`): protocol 6, accept when the manager is down, the
/// authentication macros the Authenticated condition needs, and the manager as the only
/// entry of `smtpd_milters`, in Postfix's spelling.
///
/// `non_smtpd_milters` is deliberately not set: locally submitted mail does not go through
/// the manager unless the administrator adds it.
public struct PostfixSettings: Hashable, Sendable {
    /// The template name (without `.mustache`).
    public static let templateName = "postfix-main.cf"

    /// One `name = value` line of the snippet.
    public struct Parameter: Hashable, Sendable {
        /// The parameter name (`smtpd_milters`).
        public var name: String
        /// Its value as written (`unix:/run/milter-manager/milter-manager.sock`).
        public var value: String
    }

    /// The rendered snippet, as `postfix --print` shows it.
    public var text: String
    /// The parameters in the snippet, in order.
    public var parameters: [Parameter]

    /// The snippet for the manager listening on `connectionSpec` (set at `setAt`, for the
    /// message when it cannot be written in main.cf).
    public init(connectionSpec: ConnectionSpec, setAt: Provenance = .default, templates: TemplateSet)
        throws(ConfigGenError)
    {
        let value = connectionSpec.postfixDescription
        if let reason = Self.problem(withValue: value) {
            throw .socketNotWritable(spec: connectionSpec.description, setAt: setAt, file: "main.cf", reason: reason)
        }
        text = try templates.render(Self.templateName, ["connectionSpec": value])
        parameters = Self.parameters(in: text)
    }

    /// Why `value` cannot be one element of a main.cf list, or nil: Postfix ends a line at a
    /// newline, splits lists at blanks and commas, groups with braces and expands `$name`.
    static func problem(withValue value: String) -> String? {
        for scalar in value.unicodeScalars {
            if ControlCharacters.isControl(scalar) { return "Postfix cannot take a control character in a value" }
            switch scalar {
            case " ": return "Postfix splits smtpd_milters at spaces"
            case ",": return "Postfix splits smtpd_milters at commas"
            case "{", "}": return "Postfix reads braces in smtpd_milters as per-milter settings"
            case "$": return "Postfix expands $ in main.cf values"
            default: continue
            }
        }
        return nil
    }

    /// The `name = value` lines of `text`, read as Postfix reads main.cf.
    static func parameters(in text: String) -> [Parameter] {
        PostfixMainCf(text: text).parameters.map { Parameter(name: $0.name, value: $0.value) }
    }

    /// A Postfix list value split into its elements (blanks, commas and line breaks separate).
    public static func elements(of value: String) -> [String] {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "," || $0 == "\r" })
            .map(String.init)
    }
}

extension StringProtocol {
    /// Without leading and trailing blanks and tabs.
    func trimmingBlanks() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return String(slice)
    }
}
