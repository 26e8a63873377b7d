import MilterProtocol

/// The normalisation detection applies to a socket found in a foreign file, and nothing
/// more: a bare absolute path gets `unix:`, and a leading run of `unix:`/`local:` prefixes
/// collapses to the last one (`local:local:/x` → `local:/x`). `local:` is kept as written.
enum ConnectionSpecText {
    /// `raw` normalised.
    static func normalize(_ raw: String) -> String {
        var text = Substring(raw)
        if text.hasPrefix("/") { return "unix:" + text }
        var lastPrefix: Substring?
        while let prefix = ["unix:", "local:"].first(where: { text.hasPrefix($0) }) {
            lastPrefix = text.prefix(prefix.count)
            text = text.dropFirst(prefix.count)
        }
        return (lastPrefix.map(String.init) ?? "") + text
    }

    /// `raw` normalised and parsed.
    static func parse(_ raw: String) throws(ConnectionSpecError) -> (text: String, spec: ConnectionSpec) {
        let text = normalize(raw)
        return (text, try ConnectionSpec(parsing: text))
    }
}
