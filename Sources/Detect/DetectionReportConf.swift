import Configuration
import MilterProtocol
import MilterSupport

/// `milter-manager-config detect --format conf`: the detected milters as `define_milter`
/// blocks of the milter-manager.conf language, diagnostics as `# warning:` comments. Values
/// are Ruby literals (`RubyLiteral`) and comments have their control characters escaped, so
/// that the text, saved as a milter-manager.conf, loads back to the same values.
///
/// A small printer of its own until the Configuration module's printer can take over.
public enum DetectionReportConf {
    /// The report as configuration text (a final newline).
    public static func render(_ report: DetectionReport) -> String {
        var lines = ["# Milters detected by milter-manager-config detect (platform: \(report.platform.rawValue))."]
        for diagnostic in report.diagnostics {
            lines.append(
                "# \(diagnostic.severity.rawValue): "
                    + comment("\(diagnostic.location.file):\(diagnostic.location.line): \(diagnostic.message)"))
        }
        for milter in report.milters {
            lines.append("")
            lines.append("define_milter(\(string(milter.name))) do |milter|")
            if let spec = milter.connectionSpecText ?? milter.connectionSpec?.description {
                if let source = milter.source { lines.append("  # " + comment("\(source.file):\(source.line)")) }
                lines.append("  milter.connection_spec = \(string(spec))")
            } else {
                lines.append("  # no connection spec found")
            }
            if let description = milter.description { lines.append("  milter.description = \(string(description))") }
            lines.append("  milter.enabled = \(milter.enabled)")
            if let command = milter.command { lines.append("  milter.command = \(string(command))") }
            if let options = milter.commandOptions { lines.append("  milter.command_options = \(string(options))") }
            let conditions = milter.applicableConditions.map(string).joined(separator: ", ")
            lines.append("  milter.applicable_conditions = [\(conditions)]")
            if let tarpit = milter.tarpitSeconds {
                // The keys' defaults, plus the time greylisting holds the answer back.
                lines.append("  milter.writing_timeout = \(MilterKey.writingTimeout.builtInDefault + tarpit)")
                lines.append("  milter.reading_timeout = \(MilterKey.readingTimeout.builtInDefault + tarpit)")
            }
            lines.append("end")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A double-quoted string of the configuration language (Ruby `inspect` escapes).
    static func string(_ text: String) -> String {
        RubyLiteral.inspect(text)
    }

    /// Text for a `#` comment line: control characters escaped, so that a value read from
    /// another package's file never ends the comment.
    static func comment(_ text: String) -> String {
        ControlCharacters.escapedIfNeeded(text)
    }
}
