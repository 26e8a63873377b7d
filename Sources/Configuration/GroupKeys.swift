/// Assigns one key of a group.
typealias KeySetter =
    @Sendable (inout ManagerConfiguration, LocatedValue, Provenance) throws(ConfigurationErrorKind) -> Void

/// The assignable keys of the groups `package`, `security`, `log`, `manager`, `controller`
/// and `database` (detection.md 4.3-4.4), each with its type check.
enum GroupKeys {
    /// The setters of `group`'s keys (the condition helpers' keys are in `ConditionHelperKeys`).
    static func setters(for group: ConfigurationGroup) -> [String: KeySetter] {
        switch group {
        case .package: return package
        case .security: return security
        case .log: return log
        case .manager: return manager
        case .controller: return controller
        case .database: return database
        case .s25r, .remoteNetwork, .trust, .stress, .dnsbl: return ConditionHelperKeys.setters(for: group)
        }
    }

    private static let package: [String: KeySetter] = [
        "platform": { config, value, at throws(ConfigurationErrorKind) in
            config.package.platform.set(try value.string(for: "package.platform"), at: at)
        },
        "options": { config, value, at throws(ConfigurationErrorKind) in
            let options: String?
            if case .hash(let entries) = value.value {
                var parts: [String] = []
                for key in entries.keys.sorted() {
                    parts.append(key + "=" + (try entries[key]!.string(for: "package.options")))
                }
                options = parts.joined(separator: ",")
            } else {
                options = try value.optionalString(for: "package.options")
            }
            config.package.options.set(options, at: at)
        },
    ]

    private static let security: [String: KeySetter] = [
        "privilege_mode": { config, value, at throws(ConfigurationErrorKind) in
            let key = "security.privilege_mode"
            switch value.value {
            case .bool(let flag): config.security.privilegeMode.set(flag, at: at)
            case .string("true"): config.security.privilegeMode.set(true, at: at)
            case .string("false"): config.security.privilegeMode.set(false, at: at)
            case .string(let text):
                throw .invalidValue(key: key, value: RubyLiteral.inspect(text), allowed: "true or false")
            default: throw value.mismatch(key, "true or false")
            }
        },
        "effective_user": { config, value, at throws(ConfigurationErrorKind) in
            config.security.effectiveUser.set(try value.optionalString(for: "security.effective_user"), at: at)
        },
        "effective_group": { config, value, at throws(ConfigurationErrorKind) in
            config.security.effectiveGroup.set(try value.optionalString(for: "security.effective_group"), at: at)
        },
    ]

    private static let log: [String: KeySetter] = [
        "level": { config, value, at throws(ConfigurationErrorKind) in
            let text = try value.optionalString(for: "log.level") ?? ""
            do {
                config.log.level.set(try LogLevel(parsing: text), at: at)
            } catch {
                throw .invalidValue(
                    key: "log.level", value: RubyLiteral.inspect(text),
                    allowed: "level names joined with |: all, default, none, "
                        + LogLevel.Flag.allCases.map(\.rawValue).joined(separator: ", "))
            }
        },
        "path": { config, value, at throws(ConfigurationErrorKind) in
            config.log.path.set(try value.optionalString(for: "log.path"), at: at)
        },
        "use_syslog": { config, value, at throws(ConfigurationErrorKind) in
            config.log.useSyslog.set(try value.bool(for: "log.use_syslog"), at: at)
        },
        "syslog_facility": { config, value, at throws(ConfigurationErrorKind) in
            config.log.syslogFacility.set(try value.oneOf(SyslogFacility.self, for: "log.syslog_facility"), at: at)
        },
    ]

    private static let manager: [String: KeySetter] = [
        "connection_spec": { config, value, at throws(ConfigurationErrorKind) in
            config.manager.connectionSpec.set(try value.connectionSpec(for: "manager.connection_spec"), at: at)
        },
        "unix_socket_mode": { config, value, at throws(ConfigurationErrorKind) in
            config.manager.unixSocketMode.set(
                try value.integer(for: "manager.unix_socket_mode", in: NumericLimits.socketMode), at: at)
        },
        "unix_socket_group": { config, value, at throws(ConfigurationErrorKind) in
            config.manager.unixSocketGroup.set(try value.optionalString(for: "manager.unix_socket_group"), at: at)
        },
        "remove_unix_socket_on_create": { config, value, at throws(ConfigurationErrorKind) in
            config.manager.removeUnixSocketOnCreate.set(
                try value.bool(for: "manager.remove_unix_socket_on_create"), at: at)
        },
        "remove_unix_socket_on_close": { config, value, at throws(ConfigurationErrorKind) in
            config.manager.removeUnixSocketOnClose.set(
                try value.bool(for: "manager.remove_unix_socket_on_close"), at: at)
        },
        "daemon": { config, value, at throws(ConfigurationErrorKind) in
            config.manager.daemon.set(try value.bool(for: "manager.daemon"), at: at)
        },
        "pid_file": { config, value, at throws(ConfigurationErrorKind) in
            config.manager.pidFile.set(try value.optionalString(for: "manager.pid_file"), at: at)
        },
        "maintenance_interval": { config, value, at throws(ConfigurationErrorKind) in
            config.manager.maintenanceInterval.set(
                try value.integer(for: "manager.maintenance_interval", nilValue: 0, in: NumericLimits.sessionCount),
                at: at)
        },
        "suspend_time_on_unacceptable": { config, value, at throws(ConfigurationErrorKind) in
            config.manager.suspendTimeOnUnacceptable.set(
                try value.integer(
                    for: "manager.suspend_time_on_unacceptable", nilValue: 5, in: NumericLimits.suspendSeconds), at: at)
        },
        "max_connections": { config, value, at throws(ConfigurationErrorKind) in
            config.manager.maxConnections.set(
                try value.integer(for: "manager.max_connections", nilValue: 0, in: NumericLimits.connectionCount),
                at: at)
        },
        "max_file_descriptors": { config, value, at throws(ConfigurationErrorKind) in
            config.manager.maxFileDescriptors.set(
                try value.integer(for: "manager.max_file_descriptors", nilValue: 0, in: NumericLimits.fileDescriptors),
                at: at)
        },
        "custom_configuration_directory": { config, value, at throws(ConfigurationErrorKind) in
            config.manager.customConfigurationDirectory.set(
                try value.optionalString(for: "manager.custom_configuration_directory"), at: at)
        },
        "fallback_status": { config, value, at throws(ConfigurationErrorKind) in
            config.manager.fallbackStatus.set(try value.status(for: "manager.fallback_status"), at: at)
        },
        "fallback_status_at_disconnect": { config, value, at throws(ConfigurationErrorKind) in
            config.manager.fallbackStatusAtDisconnect.set(
                try value.status(for: "manager.fallback_status_at_disconnect"), at: at)
        },
        "event_loop_backend": { config, value, at throws(ConfigurationErrorKind) in
            config.manager.eventLoopBackend.set(
                try value.oneOf(EventLoopBackend.self, for: "manager.event_loop_backend"), at: at)
        },
        "n_workers": { config, value, at throws(ConfigurationErrorKind) in
            config.manager.nWorkers.set(
                try value.integer(for: "manager.n_workers", nilValue: 0, in: NumericLimits.workers), at: at)
        },
        "packet_buffer_size": { config, value, at throws(ConfigurationErrorKind) in
            config.manager.packetBufferSize.set(
                try value.integer(for: "manager.packet_buffer_size", nilValue: 0, in: NumericLimits.bufferBytes), at: at
            )
        },
        "connection_check_interval": { config, value, at throws(ConfigurationErrorKind) in
            config.manager.connectionCheckInterval.set(
                try value.integer(
                    for: "manager.connection_check_interval", nilValue: 0, in: NumericLimits.intervalSeconds), at: at)
        },
        "chunk_size": { config, value, at throws(ConfigurationErrorKind) in
            let size = try value.integer(for: "manager.chunk_size", nilValue: 65535, in: NumericLimits.chunkSize)
            config.manager.chunkSize.set(min(size, 65535), at: at)
        },
        "max_pending_finished_sessions": { config, value, at throws(ConfigurationErrorKind) in
            config.manager.maxPendingFinishedSessions.set(
                try value.integer(
                    for: "manager.max_pending_finished_sessions", nilValue: 0, in: NumericLimits.sessionCount), at: at)
        },
    ]

    private static let controller: [String: KeySetter] = [
        "connection_spec": { config, value, at throws(ConfigurationErrorKind) in
            config.controller.connectionSpec.set(
                try value.optionalConnectionSpec(for: "controller.connection_spec"), at: at)
        },
        "unix_socket_mode": { config, value, at throws(ConfigurationErrorKind) in
            config.controller.unixSocketMode.set(
                try value.integer(for: "controller.unix_socket_mode", in: NumericLimits.socketMode), at: at)
        },
        "unix_socket_group": { config, value, at throws(ConfigurationErrorKind) in
            config.controller.unixSocketGroup.set(try value.optionalString(for: "controller.unix_socket_group"), at: at)
        },
        "remove_unix_socket_on_create": { config, value, at throws(ConfigurationErrorKind) in
            config.controller.removeUnixSocketOnCreate.set(
                try value.bool(for: "controller.remove_unix_socket_on_create"), at: at)
        },
        "remove_unix_socket_on_close": { config, value, at throws(ConfigurationErrorKind) in
            config.controller.removeUnixSocketOnClose.set(
                try value.bool(for: "controller.remove_unix_socket_on_close"), at: at)
        },
    ]

    private static let database: [String: KeySetter] = [
        "type": { config, value, at throws(ConfigurationErrorKind) in
            config.database.type.set(try value.optionalString(for: "database.type"), at: at)
        },
        "name": { config, value, at throws(ConfigurationErrorKind) in
            config.database.name.set(try value.optionalString(for: "database.name"), at: at)
        },
        "host": { config, value, at throws(ConfigurationErrorKind) in
            config.database.host.set(try value.optionalString(for: "database.host"), at: at)
        },
        "port": { config, value, at throws(ConfigurationErrorKind) in
            let port: Int? =
                if case .nilValue = value.value { nil } else {
                    try value.integer(for: "database.port", in: NumericLimits.port)
                }
            config.database.port.set(port, at: at)
        },
        "path": { config, value, at throws(ConfigurationErrorKind) in
            config.database.path.set(try value.optionalString(for: "database.path"), at: at)
        },
        "user": { config, value, at throws(ConfigurationErrorKind) in
            config.database.user.set(try value.optionalString(for: "database.user"), at: at)
        },
        "password": { config, value, at throws(ConfigurationErrorKind) in
            config.database.password.set(try value.optionalString(for: "database.password"), at: at)
        },
    ]
}
