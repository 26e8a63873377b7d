import Configuration

/// Reads what detection needs from the milters' own configuration files, through Augeas:
/// greylist.conf (`socket`, tarpit ACLs), clamav-milter.conf (`MilterSocket`, `Example`),
/// opendkim.conf (`Socket`) and enma.conf (`milter.socket:`).
struct ApplicationConfigReader {
    /// What clamav-milter.conf says.
    struct ClamavSettings: Hashable {
        /// `MilterSocket`, when set.
        var socket: LocatedValue?
        /// Where a bare `Example` line (an unedited sample) is, when there is one.
        var example: SourceLocation?
    }

    let files: ConfigFileStore

    /// `socket` of greylist.conf at `path`.
    func greylistSocket(_ path: String) -> LocatedValue? {
        value(of: "socket", in: path, lens: .greylist)
    }

    /// The longest `tarpit` of the `racl`/`acl` lines of greylist.conf at `path`, in seconds.
    func greylistTarpit(_ path: String) -> Double? {
        guard let file = files.file(path, lens: .greylist) else { return nil }
        var longest: Double?
        for entry in file.entries where ["racl", "acl"].contains(entry.key.lowercased()) {
            let words = (entry.value ?? "").split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
            for (index, word) in words.enumerated() where word.lowercased() == "tarpit" && index + 1 < words.count {
                if let seconds = Self.duration(words[index + 1]) { longest = max(longest ?? 0, seconds) }
            }
        }
        return longest
    }

    /// `MilterSocket` and `Example` of clamav-milter.conf at `path`.
    func clamav(_ path: String) -> ClamavSettings {
        guard let file = files.file(path, lens: .keyValue) else { return ClamavSettings(socket: nil, example: nil) }
        return ClamavSettings(
            socket: located(file.last("MilterSocket"), in: file),
            example: file.last("Example").map { SourceLocation(file: file.path, line: $0.line) })
    }

    /// `Socket` of opendkim.conf at `path`.
    func opendkimSocket(_ path: String) -> LocatedValue? {
        value(of: "Socket", in: path, lens: .keyValue)
    }

    /// `milter.socket:` of enma.conf at `path`.
    func enmaSocket(_ path: String) -> LocatedValue? {
        value(of: "milter.socket", in: path, lens: .keyValue)
    }

    private func value(of key: String, in path: String, lens: ConfigFileStore.Lens) -> LocatedValue? {
        guard let file = files.file(path, lens: lens) else { return nil }
        return located(file.last(key), in: file)
    }

    private func located(_ entry: ConfigFileStore.Entry?, in file: ConfigFileStore.File) -> LocatedValue? {
        guard let entry, let value = entry.value, !value.isEmpty else { return nil }
        return LocatedValue(value: value, location: SourceLocation(file: file.path, line: entry.line))
    }

    /// `125s`, `2m`, `1h`, `3d`, `1w`, `30` (seconds) in seconds.
    static func duration(_ text: Substring) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800]
        var digits = text
        var factor = 1.0
        if let last = text.last, let unit = units[Character(last.lowercased())] {
            digits = text.dropLast()
            factor = unit
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Double(digits) else {
            return nil
        }
        return number * factor
    }
}
