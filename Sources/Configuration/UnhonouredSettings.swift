extension ManagerConfiguration {
    /// What the original would do with this configuration that this one does not: ignored keys
    /// that were set, conditions not evaluated, children the original would start itself.
    /// Computed after the command-line overrides, so that an ignored option is reported too.
    public func unhonouredSettings() -> [CompatibilityFinding] { UnhonouredSettings.findings(in: self) }
}

/// The keys and uses of the original's configuration that are accepted (so that its files load)
/// but not honoured here, found in a loaded configuration by where each value was set.
enum UnhonouredSettings {
    /// One accepted-but-ignored key: how to see that it was set, and what to say.
    struct Key: Sendable {
        var name: String
        var provenance: @Sendable (ManagerConfiguration) -> Provenance
        /// Whether the value set matters (e.g. `controller.connection_spec = nil` does not).
        var isActive: @Sendable (ManagerConfiguration) -> Bool
        var message: String
        var instead: String
        var changesBehaviour: Bool
    }

    static let keys: [Key] = [
        Key(
            name: "manager.n_workers", provenance: { $0.manager.nWorkers.provenance },
            isActive: { $0.manager.nWorkers.value != 0 },
            message: "manager.n_workers is ignored: SwiftNIO already runs one event loop per core and "
                + "spreads sessions over them",
            instead: "remove it", changesBehaviour: false),
        Key(
            name: "manager.event_loop_backend", provenance: { $0.manager.eventLoopBackend.provenance },
            isActive: { _ in true },
            message: "manager.event_loop_backend is ignored: the event loop is SwiftNIO's (epoll)",
            instead: "remove it", changesBehaviour: false),
        Key(
            name: "manager.packet_buffer_size", provenance: { $0.manager.packetBufferSize.provenance },
            isActive: { $0.manager.packetBufferSize.value != 0 },
            message: "manager.packet_buffer_size is ignored: each reply is written in one system call as soon "
                + "as it is known",
            instead: "remove it", changesBehaviour: false),
        Key(
            name: "manager.max_pending_finished_sessions",
            provenance: { $0.manager.maxPendingFinishedSessions.provenance },
            isActive: { $0.manager.maxPendingFinishedSessions.value != 0 },
            message: "manager.max_pending_finished_sessions is ignored: finished sessions are freed at once",
            instead: "remove it", changesBehaviour: false),
        Key(
            name: "manager.maintenance_interval", provenance: { $0.manager.maintenanceInterval.provenance },
            isActive: { _ in true },
            message: "manager.maintenance_interval is ignored: the [sessions][finished] statistics line is "
                + "logged after every session and there is no periodic memory report",
            instead: "remove it", changesBehaviour: false),
        Key(
            name: "manager.custom_configuration_directory",
            provenance: { $0.manager.customConfigurationDirectory.provenance },
            isActive: { $0.manager.customConfigurationDirectory.value != nil },
            message: "manager.custom_configuration_directory is ignored: no controller saves configuration here",
            instead: "put local settings in milter-manager.local.conf", changesBehaviour: false),
        Key(
            name: "manager.connection_check_interval",
            provenance: { $0.manager.connectionCheckInterval.provenance },
            isActive: { $0.manager.connectionCheckInterval.value != 0 },
            message: "manager.connection_check_interval is ignored: there is no disconnection checker; a "
                + "session ends when the MTA closes its milter connection (Postfix does when its client goes)",
            instead: "remove it", changesBehaviour: true),
        Key(
            name: "manager.fallback_status_at_disconnect",
            provenance: { $0.manager.fallbackStatusAtDisconnect.provenance },
            isActive: { _ in true },
            message: "manager.fallback_status_at_disconnect is ignored: it only applies to the disconnection "
                + "checker, which does not exist here",
            instead: "remove it", changesBehaviour: false),
        Key(
            name: "controller.connection_spec", provenance: { $0.controller.connectionSpec.provenance },
            isActive: { $0.controller.connectionSpec.value != nil },
            message: "controller.connection_spec is not served: there is no controller socket yet",
            instead: "reload with SIGHUP (systemctl reload milter-manager) and read the statistics in the log",
            changesBehaviour: true),
    ]

    /// The findings for `configuration`: every ignored key set somewhere (not a default), every
    /// enabled milter that relies on a condition that is not evaluated, and the children the
    /// original would start itself.
    static func findings(in configuration: ManagerConfiguration) -> [CompatibilityFinding] {
        var findings: [CompatibilityFinding] = []
        for key in keys where key.isActive(configuration) {
            guard let location = key.provenance(configuration).findingLocation else { continue }
            findings.append(
                CompatibilityFinding(
                    location: location, message: key.message, instead: key.instead,
                    changesBehaviour: key.changesBehaviour))
        }
        for milter in configuration.enabledMilters {
            findings += self.findings(for: milter, in: configuration)
        }
        return findings
    }

    private static func findings(for milter: MilterDefinition, in configuration: ManagerConfiguration)
        -> [CompatibilityFinding]
    {
        var findings: [CompatibilityFinding] = []
        for condition in milter.applicableConditions {
            guard let definition = configuration.applicableCondition(named: condition.value) else { continue }
            switch definition.kind {
            case .dnsblListed, .notDNSBLListed:
                let location =
                    condition.provenance.findingLocation ?? milter.definedAt.findingLocation
                    ?? SourceLocation(file: "(default)", line: 0)
                findings.append(
                    CompatibilityFinding(
                        location: location,
                        message: "milter \(RubyLiteral.inspect(milter.name)) uses the condition "
                            + "\(RubyLiteral.inspect(condition.value)), which is not evaluated yet: "
                            + "the milter is applied as if the condition did not stop it",
                        instead: "remove the condition, or use Remote Network/S25R", changesBehaviour: true))
            case .authenticated, .unauthenticated, .remoteNetwork, .s25r, .sendmailCompatible, .stressNotify,
                .noStress, .trust, .restrictAccounts, .custom:
                continue
            }
        }
        if configuration.security.privilegeMode.value, let command = milter.command.value,
            let location = milter.command.provenance.findingLocation
        {
            let options = milter.commandOptions.value.map { " " + $0 } ?? ""
            findings.append(
                CompatibilityFinding(
                    location: location,
                    message: "milter \(RubyLiteral.inspect(milter.name)) is not started by the manager when it "
                        + "cannot be reached (\(command)\(options) is not run); its fallback status applies",
                    instead: "enable and start it with its own service (systemctl enable --now \(milter.name), "
                        + "chkconfig or rc.conf)",
                    changesBehaviour: true))
        }
        return findings
    }

    /// The original's shipped `applicable-conditions/*.conf` files, whose conditions are
    /// built in here (the file is not read).
    static let shippedConditionFiles: Set<String> = [
        "authentication.conf", "dnsbl.conf", "remote-network.conf", "restrict-accounts.conf", "s25r.conf",
        "sendmail-compatible.conf", "stress.conf", "trust.conf",
    ]
}
