/// The metadata in an init script's leading comment block: chkconfig tags (`# chkconfig:`,
/// `# description:` with backslash continuation, `# config:`, ...) and the LSB block
/// (`### BEGIN INIT INFO` ... `### END INIT INFO`).
struct InitScriptHeader: Hashable {
    /// chkconfig tags by lower-case name (`description`, `config`, `processname`, ...).
    var tags: [String: String] = [:]
    /// LSB keys as written (`Provides`, `Description`, `Default-Start`, ...).
    var lsb: [String: String] = [:]

    private static let tagNames: Set<String> = [
        "chkconfig", "description", "processname", "config", "pidfile", "probe",
    ]

    /// Reads the leading comment block of `text`, ignoring a first `#!` line when
    /// `skippingInterpreter` (Debian).
    init(parsing text: String, skippingInterpreter: Bool) {
        var lines = text.lines()
        if skippingInterpreter, let first = lines.first, first.hasPrefix("#!") { lines.removeFirst() }
        let block = lines.prefix { $0.hasPrefix("#") }
        var inLSB = false
        var lastLSBKey: String?
        var continuingTag: String?
        for line in block {
            if line.hasPrefix("### BEGIN INIT INFO") {
                inLSB = true
                continue
            }
            if line.hasPrefix("### END INIT INFO") {
                inLSB = false
                continue
            }
            let body = Self.commentBody(line)
            if inLSB {
                readLSB(line: line, body: body, lastKey: &lastLSBKey)
            } else {
                readTag(body: body, continuing: &continuingTag)
            }
        }
    }

    private mutating func readLSB(line: Substring, body: String, lastKey: inout String?) {
        // Continuation lines start with "#" and a tab or at least two spaces.
        let rest = line.dropFirst()
        if let key = lastKey, rest.hasPrefix("\t") || rest.hasPrefix("  ") {
            let addition = body.trimmingBlanks()
            if !addition.isEmpty { lsb[key] = (lsb[key].map { $0 + " " } ?? "") + addition }
            return
        }
        guard let colon = body.firstIndex(of: ":") else {
            lastKey = nil
            return
        }
        let key = String(body[..<colon])
        guard !key.isEmpty, !key.contains(" ") else {
            lastKey = nil
            return
        }
        lsb[key] = body[body.index(after: colon)...].trimmingBlanks()
        lastKey = key
    }

    private mutating func readTag(body: String, continuing: inout String?) {
        if let key = continuing {
            let addition = body.trimmingBlanks()
            append(addition, to: key, continuing: &continuing)
            return
        }
        guard let colon = body.firstIndex(of: ":") else { return }
        let key = body[..<colon].lowercased()
        guard Self.tagNames.contains(key) else { return }
        tags[key] = ""
        append(String(body[body.index(after: colon)...]).trimmingLeadingBlanks(), to: key, continuing: &continuing)
    }

    private mutating func append(_ text: String, to key: String, continuing: inout String?) {
        var text = text.trimmingTrailingBlanks()
        if key == "description", text.hasSuffix("\\") {
            text.removeLast()
            continuing = key
        } else {
            continuing = nil
        }
        tags[key, default: ""] += text
        if continuing == nil { tags[key] = tags[key]?.trimmingBlanks() }
    }

    /// A comment line without its `#` and the blanks after it.
    private static func commentBody(_ line: Substring) -> String {
        String(line.drop { $0 == "#" }).trimmingLeadingBlanks()
    }
}
