/// Prints a configuration in the configuration language, every setting preceded by where it
/// was set (`--show-config`, detection.md section 5). The text loads again as a
/// milter-manager.conf of its own and then prints identically: the parser reads the
/// provenance comments back.
///
/// Order: header, `package`, `security`, `log`, `manager`, `controller`, `database`, the
/// applicable conditions, the condition helpers' parameters (this port's addition, so that
/// they survive the round trip), then the milters.
public enum ConfigurationPrinter {
    /// The comment block at the top.
    public static let header = """
        # Effective configuration printed by milter-manager --show-config, in the language of
        # milter-manager.conf. The comment above each setting says where it was set: "default",
        # "FILE:LINE", "detected" or "detected: FILE:LINE" (auto-detection by load_default), or
        # "command line". Saved as a milter-manager.conf of its own, this text loads again and
        # prints the same. When no milter-manager.conf exists, the built-in default is used:
        # load_default, then load_if_exist "milter-manager.local.conf".
        """

    /// The whole text, ending with one newline.
    public static func render(_ configuration: ManagerConfiguration) -> String {
        let sections =
            [header, package(configuration), security(configuration), log(configuration), manager(configuration)]
            + [controller(configuration), database(configuration)]
            + configuration.applicableConditions.map(condition)
            + [ConditionParametersPrinter.render(configuration.conditionParameters)]
            + configuration.milters.map(milter)
        return sections.filter { !$0.isEmpty }.joined(separator: "\n\n") + "\n"
    }

    /// `# provenance` then `key = value`, indented.
    static func item<Value>(_ key: String, _ setting: Setting<Value>, indent: String = "", _ render: (Value) -> String)
        -> String
    {
        indent + setting.provenance.comment + "\n" + indent + key + " = " + render(setting.value)
    }

    static func string(_ value: String?) -> String { RubyLiteral.inspect(value) }
    static func bool(_ value: Bool) -> String { "\(value)" }
    static func integer(_ value: Int) -> String { "\(value)" }

    private static func package(_ c: ManagerConfiguration) -> String {
        [
            item("package.platform", c.package.platform) { RubyLiteral.inspect($0) },
            item("package.options", c.package.options, string),
        ].joined(separator: "\n")
    }

    private static func security(_ c: ManagerConfiguration) -> String {
        [
            item("security.privilege_mode", c.security.privilegeMode, bool),
            item("security.effective_user", c.security.effectiveUser, string),
            item("security.effective_group", c.security.effectiveGroup, string),
        ].joined(separator: "\n")
    }

    private static func log(_ c: ManagerConfiguration) -> String {
        [
            item("log.level", c.log.level) { RubyLiteral.inspect($0.description) },
            item("log.path", c.log.path, string),
            item("log.use_syslog", c.log.useSyslog, bool),
            item("log.syslog_facility", c.log.syslogFacility) { RubyLiteral.inspect($0.rawValue) },
        ].joined(separator: "\n")
    }

    private static func manager(_ c: ManagerConfiguration) -> String {
        let m = c.manager
        return [
            item("manager.connection_spec", m.connectionSpec) { RubyLiteral.inspect($0.text) },
            item("manager.unix_socket_mode", m.unixSocketMode, RubyLiteral.octal),
            item("manager.unix_socket_group", m.unixSocketGroup, string),
            item("manager.remove_unix_socket_on_create", m.removeUnixSocketOnCreate, bool),
            item("manager.remove_unix_socket_on_close", m.removeUnixSocketOnClose, bool),
            item("manager.daemon", m.daemon, bool),
            item("manager.pid_file", m.pidFile, string),
            item("manager.maintenance_interval", m.maintenanceInterval) { $0 == 0 ? "nil" : "\($0)" },
            item("manager.suspend_time_on_unacceptable", m.suspendTimeOnUnacceptable, integer),
            item("manager.max_connections", m.maxConnections, integer),
            item("manager.max_file_descriptors", m.maxFileDescriptors, integer),
            item("manager.custom_configuration_directory", m.customConfigurationDirectory, string),
            item("manager.fallback_status", m.fallbackStatus) { RubyLiteral.inspect($0.nick) },
            item("manager.fallback_status_at_disconnect", m.fallbackStatusAtDisconnect) {
                RubyLiteral.inspect($0.nick)
            },
            item("manager.event_loop_backend", m.eventLoopBackend) { RubyLiteral.inspect($0.rawValue) },
            item("manager.n_workers", m.nWorkers, integer),
            item("manager.packet_buffer_size", m.packetBufferSize, integer),
            item("manager.connection_check_interval", m.connectionCheckInterval, integer),
            item("manager.chunk_size", m.chunkSize, integer),
            item("manager.max_pending_finished_sessions", m.maxPendingFinishedSessions, integer),
        ].joined(separator: "\n")
    }

    private static func controller(_ c: ManagerConfiguration) -> String {
        let k = c.controller
        return [
            item("controller.connection_spec", k.connectionSpec) { $0.map { RubyLiteral.inspect($0.text) } ?? "nil" },
            item("controller.unix_socket_mode", k.unixSocketMode) { "0" + String($0, radix: 8) },
            item("controller.unix_socket_group", k.unixSocketGroup, string),
            item("controller.remove_unix_socket_on_create", k.removeUnixSocketOnCreate, bool),
            item("controller.remove_unix_socket_on_close", k.removeUnixSocketOnClose, bool),
        ].joined(separator: "\n")
    }

    private static func database(_ c: ManagerConfiguration) -> String {
        let d = c.database
        return [
            item("database.type", d.type, string), item("database.name", d.name, string),
            item("database.host", d.host, string),
            item("database.port", d.port) { $0.map { "\($0)" } ?? "nil" },
            item("database.path", d.path, string), item("database.user", d.user, string),
            item("database.password", d.password, string),
        ].joined(separator: "\n")
    }

    private static func condition(_ condition: ApplicableConditionDefinition) -> String {
        switch condition.kind {
        case .restrictAccounts(let parameters):
            let accounts = parameters.accounts.map(\.description)
            let arguments = accounts + ["condition_name: " + RubyLiteral.dump(condition.name), "milters: []"]
            return condition.definedAt.comment + "\n" + "restrict_accounts_by_list("
                + arguments.joined(separator: ", ") + ")"
        case .authenticated, .unauthenticated, .dnsblListed, .notDNSBLListed, .remoteNetwork, .s25r,
            .sendmailCompatible, .stressNotify, .noStress, .trust, .custom:
            var lines = [
                condition.definedAt.comment,
                "define_applicable_condition(\(RubyLiteral.dump(condition.name))) do |condition|",
                item("condition.description", condition.description, indent: "  ", string),
            ]
            if condition.data.value != nil || condition.data.provenance != .default {
                lines.append(item("condition.data", condition.data, indent: "  ", string))
            }
            lines.append("end")
            return lines.joined(separator: "\n")
        }
    }

    /// One `define_milter` block, keys in the original's order.
    static func milter(_ milter: MilterDefinition) -> String {
        var lines = [milter.definedAt.comment, "define_milter(\(RubyLiteral.inspect(milter.name))) do |milter|"]
        let indent = "  "
        lines.append(
            item("milter.connection_spec", milter.connectionSpec, indent: indent) {
                $0.map { RubyLiteral.inspect($0.text) } ?? "nil"
            })
        lines.append(item("milter.description", milter.description, indent: indent, string))
        lines.append(item("milter.enabled", milter.enabled, indent: indent, bool))
        lines.append(
            item("milter.fallback_status", milter.fallbackStatus, indent: indent) { RubyLiteral.inspect($0.nick) })
        lines.append(item("milter.evaluation_mode", milter.evaluationMode, indent: indent, bool))
        if milter.applicableConditions.isEmpty {
            lines.append(indent + milter.applicableConditionsProvenance.comment)
            lines.append(indent + "milter.applicable_conditions = []")
        } else {
            lines.append(indent + "milter.applicable_conditions = [")
            for condition in milter.applicableConditions {
                lines.append(indent + indent + condition.provenance.comment)
                lines.append(indent + indent + RubyLiteral.inspect(condition.value) + ",")
            }
            lines.append(indent + "]")
        }
        lines.append(item("milter.command", milter.command, indent: indent, string))
        lines.append(item("milter.command_options", milter.commandOptions, indent: indent, string))
        lines.append(item("milter.user_name", milter.userName, indent: indent, string))
        lines.append(item("milter.connection_timeout", milter.connectionTimeout, indent: indent, RubyLiteral.float))
        lines.append(item("milter.writing_timeout", milter.writingTimeout, indent: indent, RubyLiteral.float))
        lines.append(item("milter.reading_timeout", milter.readingTimeout, indent: indent, RubyLiteral.float))
        lines.append(
            item("milter.end_of_message_timeout", milter.endOfMessageTimeout, indent: indent, RubyLiteral.float))
        lines.append("end")
        return lines.joined(separator: "\n")
    }
}
