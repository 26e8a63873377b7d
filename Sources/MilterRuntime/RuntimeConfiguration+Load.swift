import Configuration
import MilterProtocol

#if canImport(Glibc)
    import Glibc
#endif

/// A problem turning the loaded configuration into what the runtime runs.
public struct RuntimeConfigurationProblem: Hashable, Sendable, CustomStringConvertible {
    /// Whether the daemon must not start with it.
    public var isError: Bool
    /// One line.
    public var message: String
    /// The line.
    public var description: String { message }
}

extension RuntimeConfiguration {
    /// The runtime's view of a loaded configuration: the enabled milters with a connection spec,
    /// with their addresses (host names are looked up when connecting); their conditions made
    /// native; the manager's settings. `root` is where Postfix's
    /// files are read to size the stress threshold when it is not configured.
    public static func make(from configuration: ManagerConfiguration, root: String = "/")
        -> (configuration: RuntimeConfiguration, problems: [RuntimeConfigurationProblem])
    {
        var problems: [RuntimeConfigurationProblem] = []
        let parameters = configuration.conditionParameters
        let threshold = parameters.stress.thresholdNConnections.value ?? PostfixProcessLimit.stressThreshold(root: root)
        var children: [ResolvedChild] = []
        for milter in configuration.milters where milter.enabled.value {
            guard let written = milter.connectionSpec.value else {
                problems.append(
                    .init(isError: false, message: "milter \"\(milter.name)\" has no connection spec; not used"))
                continue
            }
            var conditions: [ApplicableCondition] = []
            for name in milter.applicableConditionNames {
                guard let definition = configuration.applicableCondition(named: name) else {
                    problems.append(
                        .init(
                            isError: true,
                            message: "milter \"\(milter.name)\": unknown applicable condition \"\(name)\""))
                    continue
                }
                let rule: ApplicableCondition.Rule
                switch definition.kind {
                case .authenticated: rule = .authenticated
                case .unauthenticated: rule = .unauthenticated
                case .remoteNetwork: rule = .remoteNetwork(parameters.remoteNetwork)
                case .s25r: rule = .s25r(parameters.s25r)
                case .sendmailCompatible: rule = .sendmailCompatible
                case .stressNotify: rule = .stressNotify(threshold: threshold)
                case .noStress: rule = .noStress(threshold: threshold)
                case .trust: rule = .trust(parameters.trust)
                case .restrictAccounts(let accounts): rule = .restrictAccounts(accounts)
                case .dnsblListed, .notDNSBLListed:
                    problems.append(
                        .init(
                            isError: false,
                            message: "milter \"\(milter.name)\": condition \"\(name)\" needs DNS look-ups, which this "
                                + "manager does not make; it never stops the milter"))
                    rule = .never
                case .custom(let custom):
                    if custom.canStop {
                        problems.append(
                            .init(
                                isError: false,
                                message: "milter \"\(milter.name)\": condition \"\(name)\" has rules or a Lua script, "
                                    + "which the session does not evaluate yet; it never stops the milter"))
                    }
                    rule = .never
                }
                conditions.append(ApplicableCondition(name: name, rule: rule))
            }
            let definition = ChildDefinition(
                name: milter.name, connectionSpec: written.spec,
                fallbackStatus: MilterStatus(milter.fallbackStatus.value), evaluationMode: milter.evaluationMode.value,
                conditions: conditions, connectionTimeout: milter.connectionTimeout.value,
                writingTimeout: milter.writingTimeout.value, readingTimeout: milter.readingTimeout.value,
                endOfMessageTimeout: milter.endOfMessageTimeout.value)
            do {
                children.append(try ResolvedChild(definition: definition))
            } catch {
                problems.append(.init(isError: true, message: "milter \"\(milter.name)\": \(error)"))
            }
        }
        let manager = configuration.manager
        let flags = configuration.log.level.value.flags
        let settings = SessionSettings(
            fallbackStatus: MilterStatus(manager.fallbackStatus.value), chunkSize: manager.chunkSize.value,
            detailedLogging: flags.contains(.info) || flags.contains(.debug),
            bodySpoolThreshold: manager.bodySpoolThreshold.value, bodySpoolDirectory: manager.bodySpoolDirectory.value)
        let runtime = RuntimeConfiguration(
            listenSpec: manager.connectionSpec.value.spec, children: children, session: settings,
            unixSocketMode: socketMode(manager.unixSocketMode.value),
            unixSocketGroup: manager.unixSocketGroup.value,
            removeUnixSocketOnCreate: manager.removeUnixSocketOnCreate.value,
            removeUnixSocketOnClose: manager.removeUnixSocketOnClose.value,
            maxConnections: manager.maxConnections.value,
            suspendTimeOnUnacceptable: Double(manager.suspendTimeOnUnacceptable.value))
        return (runtime, problems)
    }
}
