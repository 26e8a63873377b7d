import Configuration

/// The settings of a systemd service unit that detection uses, after the unit file and its
/// drop-ins were applied in order: `[Unit] Description`, `[Service] ExecStart`,
/// `Environment` and `EnvironmentFile` (an empty assignment resets a list, as systemd does).
struct SystemdUnit: Hashable {
    /// `Description=`.
    var description: String?
    /// The last `ExecStart=` still in effect, and where it was set.
    var execStart: LocatedValue?
    /// `Environment=` assignments in order (`NAME=value`), with their locations.
    var environment: [LocatedValue] = []
    /// `EnvironmentFile=` paths in order (leading `-` removed).
    var environmentFiles: [String] = []

    /// Applies the unit or drop-in text of `file` on top of these settings.
    mutating func apply(_ text: String, file: String) {
        var section = ""
        var pending = ""
        var pendingLine = 0
        for (index, rawLine) in text.lines().enumerated() {
            var line = rawLine.trimmingBlanks()
            if pending.isEmpty {
                pendingLine = index + 1
                if line.hasPrefix("#") || line.hasPrefix(";") { continue }
            }
            if line.hasSuffix("\\") {
                line.removeLast()
                pending += line + " "
                continue
            }
            line = pending + line
            pending = ""
            if line.hasPrefix("[") && line.hasSuffix("]") {
                section = String(line.dropFirst().dropLast())
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingBlanks()
            let value = line[line.index(after: equals)...].trimmingBlanks()
            set(section: section, key: key, value: value, at: SourceLocation(file: file, line: pendingLine))
        }
    }

    private mutating func set(section: String, key: String, value: String, at location: SourceLocation) {
        switch (section, key) {
        case ("Unit", "Description"):
            description = value.isEmpty ? nil : value
        case ("Service", "ExecStart"):
            execStart = value.isEmpty ? nil : LocatedValue(value: value, location: location)
        case ("Service", "Environment"):
            if value.isEmpty {
                environment = []
            } else {
                environment += Self.environmentWords(value).map { LocatedValue(value: $0, location: location) }
            }
        case ("Service", "EnvironmentFile"):
            if value.isEmpty {
                environmentFiles = []
            } else {
                environmentFiles.append(value.hasPrefix("-") ? String(value.dropFirst()) : value)
            }
        default:
            break
        }
    }

    /// `Environment="A=1" B=2` → `A=1`, `B=2`.
    private static func environmentWords(_ value: String) -> [String] {
        (try? ShellWords.split(value)) ?? value.split(separator: " ").map(String.init)
    }

    /// The command line of `ExecStart` without systemd's prefix characters (`-@+!:`).
    var commandLine: LocatedValue? {
        guard var result = execStart else { return nil }
        result.value = String(result.value.drop { "-@+!:".contains($0) })
        return result
    }
}
