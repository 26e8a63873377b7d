/// Which table holds the keys of each group, and where its values live in a configuration.
enum GroupKeyTable {
    /// The keys of `group`, nil for the condition helpers (whose keys are in
    /// `ConditionHelperKeys`).
    static func keys(of group: ConfigurationGroup) -> [AnyConfigurationKey]? {
        switch group {
        case .package: return PackageKey.all
        case .security: return SecurityKey.all
        case .log: return LogKey.all
        case .manager: return ManagerKey.all
        case .controller: return ControllerKey.all
        case .database: return DatabaseKey.all
        case .s25r, .remoteNetwork, .trust, .stress, .dnsbl: return nil
        }
    }

    /// Where the values of `group`'s keys are stored in a configuration.
    static func store(of group: ConfigurationGroup) -> WritableKeyPath<ManagerConfiguration, SettingStore>? {
        switch group {
        case .package: return \.package.store
        case .security: return \.security.store
        case .log: return \.log.store
        case .manager: return \.manager.store
        case .controller: return \.controller.store
        case .database: return \.database.store
        case .s25r, .remoteNetwork, .trust, .stress, .dnsbl: return nil
        }
    }

    /// The entry of the key written `group.name` (`milter.` for the milter keys), if any table
    /// has it.
    static func entry(named fullName: String) -> AnyConfigurationKey? {
        (printed.flatMap { keys(of: $0) ?? [] } + MilterKey.all).first { $0.fullName == fullName }
    }

    /// The groups with tables, in printing order.
    static let printed: [ConfigurationGroup] = [.package, .security, .log, .manager, .controller, .database]
}

/// Assigns one key of a condition helper group (`s25r.only_check_ipv4`, ...).
typealias KeySetter =
    @Sendable (inout ManagerConfiguration, LocatedValue, Provenance) throws(ConfigurationErrorKind) -> Void
