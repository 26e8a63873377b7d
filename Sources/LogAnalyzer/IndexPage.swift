/// `index.html`: the graphs of each period under "Last Day", "Last Week", "Last Month" and
/// "Last Year", with an index of their titles at the top and a refresh every 5 minutes, as the
/// original's page has.
public enum IndexPage {
    /// The page for `graphs` (in the order drawn); `lastUpdate` is shown under the heading.
    public static func html(graphs: [GraphDefinition], lastUpdate: String?) -> String {
        var index = ""
        var sections = ""
        for period in GraphPeriod.allCases {
            let drawn = graphs.filter { $0.period == period }
            guard !drawn.isEmpty else { continue }
            let periodID = identifier(period.label)
            index += "  <li class=\"range\"><a href=\"#\(periodID)\">\(escape(period.label))</a>\n    <ul>\n"
            sections += "<h2 id=\"\(periodID)\">\(escape(period.label))</h2>\n"
            for graph in drawn {
                let graphID = periodID + "-" + identifier(graph.title)
                index += "      <li><a href=\"#\(graphID)\">\(escape(graph.title))</a></li>\n"
                sections +=
                    "<p id=\"\(graphID)\"><img src=\"\(escape(graph.fileName))\" "
                    + "alt=\"\(escape(graph.title)) (\(escape(period.label.lowercased())))\" /></p>\n"
            }
            index += "    </ul>\n  </li>\n"
        }
        let updated = lastUpdate.map { "<p class=\"updated\">Last update: \(escape($0))</p>\n" } ?? ""
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8" />
            <meta http-equiv="refresh" content="300" />
            <meta http-equiv="Pragma" content="no-cache" />
            <title>milter-manager statistics</title>
            <style>
            ul.index li.range { display: block; float: left; margin: 0 2em 1em 0; }
            h2 { clear: both; }
            </style>
            </head>
            <body>
            <h1>milter-manager statistics</h1>
            \(updated)<ul class="index">
            \(index)</ul>
            \(sections)</body>
            </html>

            """
    }

    /// `milter manager: status` → `milter-manager-status`.
    static func identifier(_ text: String) -> String {
        var result = ""
        var dash = false
        for character in text.lowercased() {
            if character.isASCII && (character.isLetter || character.isNumber || character == "_" || character == ".") {
                if dash && !result.isEmpty { result.append("-") }
                result.append(character)
                dash = false
            } else {
                dash = true
            }
        }
        return result
    }

    /// Text safe in HTML content and attribute values.
    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
