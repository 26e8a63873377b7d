import Configuration

/// Finds the socket of rspamd's proxy worker in milter mode by reading rspamd's own files
/// (no `rspamadm` run, so it works on any root): the `worker "rspamd_proxy"` block of
/// `rspamd.conf`, then `worker-proxy.inc`, `local.d/worker-proxy.inc` and
/// `override.d/worker-proxy.inc`; a later file wins.
struct RspamdProxyReader {
    let fileSystem: RootFileSystem

    /// The socket in milter-manager spelling (`unix:/run/rspamd/milter.sock`,
    /// `inet:11332@localhost`), when the proxy worker runs in milter mode.
    func socket(configurationDirectory directory: String) -> LocatedValue? {
        var bindSocket: LocatedValue?
        var milter: Bool?
        let sources: [(String, Bool)] = [
            ("rspamd.conf", true), ("worker-proxy.inc", false), ("local.d/worker-proxy.inc", false),
            ("override.d/worker-proxy.inc", false),
        ]
        for (name, inWorkerBlock) in sources {
            let path = directory + "/" + name
            guard let text = fileSystem.readFile(path) else { continue }
            let settings = Self.settings(in: text, path: path, inWorkerBlock: inWorkerBlock)
            if let found = settings["bind_socket"] { bindSocket = found }
            if let found = settings["milter"] {
                milter = ["yes", "true", "on", "1"].contains(found.value.lowercased())
            }
        }
        guard milter == true, let bindSocket, let spec = Self.spec(bindSocket: bindSocket.value) else { return nil }
        return LocatedValue(value: spec, location: bindSocket.location)
    }

    /// `bind_socket` text to milter-manager spelling.
    static func spec(bindSocket text: String) -> String? {
        if text.hasPrefix("/") {
            return "unix:" + text.prefix { $0 != " " && $0 != "," }
        }
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            let address = text[text.index(after: text.startIndex)..<close]
            let port = text[close...].drop { $0 == "]" || $0 == ":" }
            return "inet6:\(port)@[\(address)]"
        }
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let host = text[..<colon]
        let port = text[text.index(after: colon)...]
        switch host {
        case "*", "*v4": return "inet:\(port)@localhost"
        case "*v6": return "inet6:\(port)@[::1]"
        default: return "inet:\(port)@\(host)"
        }
    }

    /// First `key = value;` per key, at the top level of the file or of its proxy worker block.
    private static func settings(in text: String, path: String, inWorkerBlock: Bool) -> [String: LocatedValue] {
        var result: [String: LocatedValue] = [:]
        var depth = 0
        var workerDepth: Int? = inWorkerBlock ? nil : 0
        for (index, rawLine) in text.lines().enumerated() {
            let line = rawLine.prefix { $0 != "#" }.trimmingBlanks()
            if workerDepth == nil, line.hasPrefix("worker"), line.contains("rspamd_proxy"), line.contains("{") {
                workerDepth = depth + 1
            } else if depth == workerDepth, let equals = line.firstIndex(of: "=") {
                let key = line[..<equals].trimmingBlanks()
                var value = line[line.index(after: equals)...].trimmingBlanks()
                if value.hasSuffix(";") { value.removeLast() }
                value = value.trimmingBlanks()
                if value.count >= 2, value.first == "\"", value.last == "\"" {
                    value = String(value.dropFirst().dropLast())
                }
                if result[key] == nil {
                    result[key] = LocatedValue(value: value, location: SourceLocation(file: path, line: index + 1))
                }
            }
            for character in line {
                if character == "{" { depth += 1 }
                if character == "}" {
                    if depth == workerDepth, inWorkerBlock { workerDepth = nil }
                    depth -= 1
                }
            }
        }
        return result
    }
}
