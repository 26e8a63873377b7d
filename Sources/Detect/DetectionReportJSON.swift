import Configuration
import MilterSupport

/// `milter-manager-config detect --format json`: one JSON object with the keys, and the key
/// order, of the command-line contract (`platform`, `milters`, `diagnostics`).
public enum DetectionReportJSON {
    /// The report as JSON text (two-space indentation, a final newline).
    public static func render(_ report: DetectionReport) -> String {
        var lines = ["{", "  \"platform\": \(string(report.platform.rawValue)),"]
        lines.append("  \"milters\": [" + (report.milters.isEmpty ? "]," : ""))
        for (index, milter) in report.milters.enumerated() {
            let conditions = milter.applicableConditions.map(string).joined(separator: ", ")
            let fields = [
                "\"name\": \(string(milter.name))",
                "\"enabled\": \(milter.enabled)",
                "\"connection_spec\": \(optional(milter.connectionSpecText ?? milter.connectionSpec?.description))",
                "\"description\": \(optional(milter.description))",
                "\"command\": \(optional(milter.command))",
                "\"command_options\": \(optional(milter.commandOptions))",
                "\"applicable_conditions\": [\(conditions)]",
                "\"source\": \(optional(milter.source.map { "\($0.file):\($0.line)" }))",
            ]
            lines.append("    {")
            lines.append(fields.map { "      " + $0 }.joined(separator: ",\n"))
            lines.append(index == report.milters.count - 1 ? "    }\n  ]," : "    },")
        }
        lines.append("  \"diagnostics\": [" + (report.diagnostics.isEmpty ? "]" : ""))
        for (index, diagnostic) in report.diagnostics.enumerated() {
            let fields = [
                "\"file\": \(string(diagnostic.location.file))",
                "\"line\": \(diagnostic.location.line)",
                "\"severity\": \(string(diagnostic.severity.rawValue))",
                "\"message\": \(string(diagnostic.message))",
            ]
            let last = index == report.diagnostics.count - 1
            lines.append("    {" + fields.joined(separator: ", ") + (last ? "}\n  ]" : "},"))
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// A JSON string literal.
    static func string(_ text: String) -> String { JSONLiteral.quoted(text) }

    private static func optional(_ text: String?) -> String {
        text.map(string) ?? "null"
    }
}
