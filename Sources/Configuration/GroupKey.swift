import MilterSupport

/// `package.*` keys.
public enum PackageKey {
    /// `package.platform` as written (`debian`, `redhat`, `redhat9`, ...).
    public static let platform = ConfigurationKey(
        "package", "platform", .string, platformDefault: { $0.platform.rawValue },
        help: "The platform load_default detects for.")
    /// `package.options` (`K=V,K=V`), nil when none.
    public static let options = ConfigurationKey(
        "package", "options", .packageOptions, default: nil, help: "Options of the package build (K=V,K=V).")

    /// Every `package.*` key, in printing order.
    public static let all: [AnyConfigurationKey] = [platform.erased, options.erased]
}

/// `security.*` keys.
public enum SecurityKey {
    /// `security.privilege_mode`: whether the manager may start child milters itself.
    public static let privilegeMode = ConfigurationKey(
        "security", "privilege_mode", .boolOrBoolString, default: false,
        help: "Start child milters that cannot be reached (milter.command).")
    /// `security.effective_user` (`-u`, `--user-name`).
    public static let effectiveUser = ConfigurationKey(
        "security", "effective_user", .optionalString, platformDefault: \.effectiveUser,
        help: "The user to run as.")
    /// `security.effective_group` (`-g`, `--group-name`).
    public static let effectiveGroup = ConfigurationKey(
        "security", "effective_group", .optionalString, platformDefault: \.effectiveGroup,
        help: "The group to run as.")

    /// Every `security.*` key, in printing order.
    public static let all: [AnyConfigurationKey] = [privilegeMode.erased, effectiveUser.erased, effectiveGroup.erased]
}

/// `log.*` keys.
public enum LogKey {
    /// `log.level` (`--log-level`, `--verbose`, `--quiet`).
    public static let level = ConfigurationKey(
        "log", "level", .logLevel, default: .default,
        help: "Log levels joined with |; a leading + or - adds or removes.")
    /// `log.path`, nil for standard output (`--log-path`).
    public static let path = ConfigurationKey(
        "log", "path", .optionalString, default: nil, help: "The log file (- for standard output).")
    /// `log.use_syslog` (`--syslog`).
    public static let useSyslog = ConfigurationKey(
        "log", "use_syslog", .bool, default: true, help: "Log to syslog.")
    /// `log.syslog_facility` (`--syslog-facility`).
    public static let syslogFacility = ConfigurationKey(
        "log", "syslog_facility", SettingType<SyslogFacility>.choice(), default: .mail,
        help: "The syslog facility (mail, daemon, local0, ...).")

    /// Every `log.*` key, in printing order.
    public static let all: [AnyConfigurationKey] = [level.erased, path.erased, useSyslog.erased, syslogFacility.erased]
}

/// `controller.*` keys: the control socket `milter-manager-ctl` talks to.
public enum ControllerKey {
    /// `controller.connection_spec`: where `milter-manager-ctl` reaches the daemon (a unix
    /// socket, or a loopback address); nil: no control socket.
    public static let connectionSpec = ConfigurationKey(
        "controller", "connection_spec", .controllerConnectionSpec, default: nil,
        help: "The control socket for milter-manager-ctl (unix:PATH or a loopback address; nil: none).")
    /// `controller.unix_socket_mode`.
    public static let unixSocketMode = ConfigurationKey(
        "controller", "unix_socket_mode", .controllerSocketMode, default: 0o660,
        help: "The mode of the controller socket.")
    /// `controller.unix_socket_group`.
    public static let unixSocketGroup = ConfigurationKey(
        "controller", "unix_socket_group", .optionalString, default: nil, help: "The group of the controller socket.")
    /// `controller.remove_unix_socket_on_create`.
    public static let removeUnixSocketOnCreate = ConfigurationKey(
        "controller", "remove_unix_socket_on_create", .bool, default: true,
        help: "Remove a stale controller socket before listening.")
    /// `controller.remove_unix_socket_on_close`.
    public static let removeUnixSocketOnClose = ConfigurationKey(
        "controller", "remove_unix_socket_on_close", .bool, default: true,
        help: "Remove the controller socket when the daemon stops.")

    /// Every `controller.*` key, in printing order.
    public static let all: [AnyConfigurationKey] = [
        connectionSpec.erased, unixSocketMode.erased, unixSocketGroup.erased, removeUnixSocketOnCreate.erased,
        removeUnixSocketOnClose.erased,
    ]
}

/// `database.*` keys: accepted so that the original's files load, never used.
public enum DatabaseKey {
    static func key<Value>(_ name: String, _ type: SettingType<Value?>) -> ConfigurationKey<Value?> {
        ConfigurationKey(
            "database", name, type, default: nil, help: "The original's database setting (not supported).",
            support: .ignored(
                message: "database.\(name) is accepted and ignored: this milter manager has no database support",
                instead: "remove it", changesBehaviour: true, isActive: { $0 != nil }))
    }

    /// `database.type`.
    public static let type = key("type", .optionalString)
    /// `database.name`.
    public static let name = key("name", .optionalString)
    /// `database.host`.
    public static let host = key("host", .optionalString)
    /// `database.port`.
    public static let port = key("port", .optionalInteger(NumericLimits.port))
    /// `database.path`.
    public static let path = key("path", .optionalString)
    /// `database.user`.
    public static let user = key("user", .optionalString)
    /// `database.password`.
    public static let password = key("password", .optionalString)

    /// Every `database.*` key, in printing order.
    public static let all: [AnyConfigurationKey] = [
        type.erased, name.erased, host.erased, port.erased, path.erased, user.erased, password.erased,
    ]
}

extension SettingType where Value == String? {
    /// `package.options`: a `K=V,K=V` string, a hash of options, or nil.
    static let packageOptions = SettingType(
        expected: "a string or nil", hint: TypeHints.string,
        read: { value, key throws(ConfigurationErrorKind) in
            guard case .hash(let entries) = value.value else { return try value.optionalString(for: key) }
            var parts: [String] = []
            for name in entries.keys.sorted() {
                parts.append(name + "=" + (try entries[name]!.string(for: key)))
            }
            return parts.joined(separator: ",")
        }, render: { RubyLiteral.inspect($0) })
}

extension SettingType where Value == LogLevel {
    /// `log.level`: level names joined with `|`.
    static let logLevel = SettingType(
        expected: "a string or nil", hint: TypeHints.string,
        read: { value, key throws(ConfigurationErrorKind) in
            let text = try value.optionalString(for: key) ?? ""
            do {
                return try LogLevel(parsing: text)
            } catch {
                throw .invalidValue(
                    key: key, value: RubyLiteral.inspect(text),
                    allowed: "level names joined with |: all, default, none, "
                        + LogLevel.Flag.allCases.map(\.rawValue).joined(separator: ", "))
            }
        }, render: { RubyLiteral.inspect($0.description) })
}
