import Configuration

/// `milter-manager-config detect --format conf`: the detected milters as `define_milter`
/// blocks of the milter-manager.conf language, diagnostics as `# warning:` comments.
///
/// A small printer of its own until the Configuration module's printer can take over.
public enum DetectionReportConf {
    /// The milters' default writing and reading timeout, to which a greylist tarpit is added.
    static let defaultIOTimeout = 7.0

    /// The report as configuration text (a final newline).
    public static func render(_ report: DetectionReport) -> String {
        var lines = ["# Milters detected by milter-manager-config detect (platform: \(report.platform.rawValue))."]
        for diagnostic in report.diagnostics {
            let message = diagnostic.message.replacingNewlines()
            lines.append(
                "# \(diagnostic.severity.rawValue): \(diagnostic.location.file):\(diagnostic.location.line): \(message)"
            )
        }
        for milter in report.milters {
            lines.append("")
            lines.append("define_milter(\(string(milter.name))) do |milter|")
            if let spec = milter.connectionSpecText ?? milter.connectionSpec?.description {
                if let source = milter.source { lines.append("  # \(source.file):\(source.line)") }
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
                lines.append("  milter.writing_timeout = \(defaultIOTimeout + tarpit)")
                lines.append("  milter.reading_timeout = \(defaultIOTimeout + tarpit)")
            }
            lines.append("end")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A double-quoted string of the configuration language (Ruby `inspect` escapes).
    static func string(_ text: String) -> String {
        var result = "\""
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "{", "$", "@":
                if previous == "#" { result.insert("\\", at: result.index(before: result.endIndex)) }
                result.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    result += "\\x" + (hex.count == 1 ? "0" : "") + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
            previous = scalar
        }
        return result + "\""
    }
}

extension String {
    /// The text on one line (line breaks become spaces), for comments.
    fileprivate func replacingNewlines() -> String {
        String(map { $0 == "\n" || $0 == "\r\n" || $0 == "\r" ? " " : $0 })
    }
}
