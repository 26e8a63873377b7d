import Configuration

/// What milter manager's own service files pass to the daemon: the original's variables in
/// `/etc/default/milter-manager` (Debian) or `/etc/sysconfig/milter-manager` (RedHat), which
/// the systemd unit and the init script turn into options that win over milter-manager.conf.
/// `milter-manager-config postfix` reads them so that main.cf names the socket the daemon
/// really listens on.
public struct ManagerServiceDefaults: Hashable, Sendable {
    /// The files, in the order they are read (a later one wins, as the unit reads both).
    public static let files = ["/etc/default/milter-manager", "/etc/sysconfig/milter-manager"]

    /// A value the service passes, as written, and where it is set.
    public struct Value: Hashable, Sendable {
        /// The value (quotes removed, variables expanded).
        public var text: String
        /// The assignment it comes from.
        public var location: SourceLocation
    }

    /// The socket the service passes (`CONNECTION_SPEC=`, or `--connection-spec`/`-s` in
    /// `OPTION_ARGS=`); nil when none is set.
    public var connectionSpec: Value?

    /// The settings in the files under `root` (nothing set when there is none).
    public static func read(root: String) -> ManagerServiceDefaults {
        let directory = RootDirectory(root)
        let scanner = ShellAssignmentScanner(allowsLowercase: false)
        var result = ManagerServiceDefaults()
        for file in files {
            guard let text = try? directory.readText(file) else { continue }
            var variables: [String: LocatedValue] = [:]
            for assignment in scanner.assignments(in: text) where assignment.problem == nil {
                guard let value = ShellValue.normalize(assignment.raw, lookup: { variables[$0]?.value }) else {
                    continue
                }
                variables[assignment.name] = LocatedValue(
                    value: value, location: SourceLocation(file: file, line: assignment.line))
            }
            if let spec = variables["CONNECTION_SPEC"], !spec.value.isEmpty {
                result.connectionSpec = Value(text: spec.value, location: spec.location)
            }
            // OPTION_ARGS come after the variables' options on the command line: they win.
            if let options = variables["OPTION_ARGS"], let words = try? ShellWords.split(options.value) {
                for option in ["--connection-spec", "-s", "--spec"] {
                    if let value = ShellWords.argument(of: option, in: words), !value.isEmpty {
                        result.connectionSpec = Value(text: value, location: options.location)
                        break
                    }
                }
            }
        }
        return result
    }
}
