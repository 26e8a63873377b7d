import MilterSupport

extension ManagerConfiguration {
    /// What the original would do with this configuration that this one does not: ignored keys
    /// that were set, conditions not evaluated.
    /// Computed after the command-line overrides, so that an ignored option is reported too.
    public func unhonouredSettings() -> [CompatibilityFinding] { UnhonouredSettings.findings(in: self) }
}

/// The keys and uses of the original's configuration that are accepted (so that its files load)
/// but not honoured here, found in a loaded configuration by where each value was set.
enum UnhonouredSettings {
    /// The findings for `configuration`: every ignored key of the tables that was set (not
    /// left at its default), and every enabled milter that relies on a condition that is not
    /// evaluated. (`milter.command` in privilege mode and `controller.connection_spec` are
    /// honoured: the launcher starts children, `milter-manager-ctl` talks to the control socket.)
    static func findings(in configuration: ManagerConfiguration) -> [CompatibilityFinding] {
        var findings: [CompatibilityFinding] = []
        for group in GroupKeyTable.printed {
            guard let keys = GroupKeyTable.keys(of: group), let store = GroupKeyTable.store(of: group) else { continue }
            findings += keys.compactMap { $0.finding(configuration[keyPath: store]) }
        }
        for milter in configuration.enabledMilters {
            findings += MilterKey.all.compactMap { $0.finding(milter.store) }
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
        return findings
    }

    /// The original's shipped `applicable-conditions/*.conf` files, whose conditions are
    /// built in here (the file is not read).
    static let shippedConditionFiles: Set<String> = [
        "authentication.conf", "dnsbl.conf", "remote-network.conf", "restrict-accounts.conf", "s25r.conf",
        "sendmail-compatible.conf", "stress.conf", "trust.conf",
    ]
}
