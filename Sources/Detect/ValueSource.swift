/// A place a value may come from.
enum ValueSource: Hashable, Sendable {
    /// A variable of the service (shell variable, rc.conf `<name>_<suffix>`).
    case variable(String)
    /// An assignment in the rc.d script itself (`conf_file=`).
    case scriptVariable(String)
    /// The argument of an option in a variable's value (`-p` in `OPTIONS`).
    case flag(String, inVariable: String)
    /// The argument of an option on the command line (ExecStart, upstart exec, command_args).
    case commandLineFlag(String)
    /// An init-script header tag (`# config: /etc/mail/greylist.conf`).
    case headerTag(String)
    /// A fixed default path.
    case path(String)
    /// The milter's own configuration file (socket sources only).
    case application
}
