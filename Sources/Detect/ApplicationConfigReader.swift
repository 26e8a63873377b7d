import Configuration

/// Reads what detection needs from the milters' own configuration files: greylist.conf
/// (`socket`, tarpit ACLs), clamav-milter.conf (`MilterSocket`, `Example`), the `Socket` of
/// opendkim.conf, opendmarc.conf and pyspf-milter.conf, and enma.conf's `milter.socket:`.
/// A needed setting that is malformed is reported; everything else in the files is skipped.
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
    func greylistSocket(_ path: String, diagnostics: inout [Diagnostic]) -> LocatedValue? {
        guard let file = files.greylist(path) else { return nil }
        if let problem = file.conf.socketProblem {
            diagnostics.append(
                Diagnostic(
                    location: SourceLocation(file: file.path, line: problem.line), severity: .warning,
                    message: "\(problem.message); this socket statement is ignored"))
        }
        return file.conf.socket.map {
            LocatedValue(value: $0.path, location: SourceLocation(file: file.path, line: $0.line))
        }
    }

    /// The longest `tarpit` of the `racl`/`acl` statements of greylist.conf at `path`, in seconds.
    func greylistTarpit(_ path: String) -> Double? {
        files.greylist(path)?.conf.longestTarpit
    }

    /// `MilterSocket` and `Example` of clamav-milter.conf at `path`.
    func clamav(_ path: String, diagnostics: inout [Diagnostic]) -> ClamavSettings {
        guard let file = files.keyValues(path) else { return ClamavSettings(socket: nil, example: nil) }
        return ClamavSettings(
            socket: value(of: "MilterSocket", in: file, ignoringCase: false, diagnostics: &diagnostics),
            example: file.conf.last("Example").map { SourceLocation(file: file.path, line: $0.line) })
    }

    /// `Socket` of an OpenDKIM-style file at `path` (opendkim.conf, opendmarc.conf,
    /// pyspf-milter.conf: keys without case).
    func socketSetting(_ path: String, diagnostics: inout [Diagnostic]) -> LocatedValue? {
        guard let file = files.keyValues(path) else { return nil }
        return value(of: "Socket", in: file, ignoringCase: true, diagnostics: &diagnostics)
    }

    /// `milter.socket:` of enma.conf at `path`.
    func enmaSocket(_ path: String, diagnostics: inout [Diagnostic]) -> LocatedValue? {
        guard let file = files.keyValues(path) else { return nil }
        return value(of: "milter.socket", in: file, ignoringCase: false, diagnostics: &diagnostics)
    }

    private func value(
        of key: String, in file: ConfigFileStore.KeyValueFile, ignoringCase: Bool, diagnostics: inout [Diagnostic]
    ) -> LocatedValue? {
        guard let entry = file.conf.last(key, ignoringCase: ignoringCase) else { return nil }
        let location = SourceLocation(file: file.path, line: entry.line)
        guard let value = entry.value else {
            diagnostics.append(
                Diagnostic(
                    location: location, severity: .warning, message: "\(entry.key) has no value; it is ignored"))
            return nil
        }
        return LocatedValue(value: value, location: location)
    }
}
