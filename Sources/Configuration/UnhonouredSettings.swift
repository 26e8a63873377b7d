import MilterSupport

extension ManagerConfiguration {
    /// What the original would do with this configuration that this one does not: ignored keys
    /// that were set.
    /// Computed after the command-line overrides, so that an ignored option is reported too.
    public func unhonouredSettings() -> [CompatibilityFinding] { UnhonouredSettings.findings(in: self) }
}

/// The keys and uses of the original's configuration that are accepted (so that its files load)
/// but not honoured here, found in a loaded configuration by where each value was set.
enum UnhonouredSettings {
    /// The findings for `configuration`: every ignored key of the tables that was set (not
    /// left at its default), per group and per enabled milter. (`milter.command` in privilege
    /// mode, `controller.connection_spec` and the DNSBL conditions are honoured: the launcher
    /// starts children, `milter-manager-ctl` talks to the control socket, sessions look clients up.)
    static func findings(in configuration: ManagerConfiguration) -> [CompatibilityFinding] {
        var findings: [CompatibilityFinding] = []
        for group in GroupKeyTable.printed {
            guard let keys = GroupKeyTable.keys(of: group), let store = GroupKeyTable.store(of: group) else { continue }
            findings += keys.compactMap { $0.finding(configuration[keyPath: store]) }
        }
        for milter in configuration.enabledMilters {
            findings += MilterKey.all.compactMap { $0.finding(milter.store) }
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
