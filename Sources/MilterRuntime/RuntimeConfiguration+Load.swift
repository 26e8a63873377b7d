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
        var scripts: (list: [ConditionScript], byCondition: [String: Int]) = ([], [:])
        var usesDNSBL = false
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
                    if parameters.dnsbl.services.isEmpty {
                        problems.append(
                            .init(
                                isError: false,
                                message: "milter \"\(milter.name)\": condition \"\(name)\" has no DNSBL service "
                                    + "(dnsbl.add_service): no client is listed"))
                    }
                    usesDNSBL = true
                    rule = .dnsbl(applyWhenListed: definition.kind == .dnsblListed)
                case .custom(let custom):
                    rule = custom.canStop ? .custom(program(custom, named: name, scripts: &scripts)) : .never
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
        let metrics = manager[ManagerKey.metricsConnectionSpec]
        if let written = metrics.value, case .unix = written.spec {
            problems.append(
                .init(
                    isError: true,
                    message: "\(metrics.provenance): manager.metrics_connection_spec \(written) is a unix socket; "
                        + "Prometheus scrapes over TCP: use inet:PORT@[127.0.0.1] (or another address)"))
        }
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
        var result = runtime
        result.catalog = configuration.milters.map { milter in
            MilterCatalogEntry(
                name: milter.name, enabled: milter.enabled.value, connectionSpec: milter.connectionSpec.value?.text,
                command: milter.command.value.map { command in
                    [command, milter.commandOptions.value].compactMap { $0 }.joined(separator: " ")
                })
        }
        result.privilegeMode = configuration.security.privilegeMode.value
        let controller = configuration.controller
        result.controller = controller.connectionSpec.value.map { written in
            ListenSettings(
                spec: written.spec, unixSocketMode: UInt16(truncatingIfNeeded: controller.unixSocketMode.value & 0o777),
                unixSocketGroup: controller.unixSocketGroup.value,
                removeUnixSocketOnCreate: controller.removeUnixSocketOnCreate.value,
                removeUnixSocketOnClose: controller.removeUnixSocketOnClose.value)
        }
        result.conditionScripts = scripts.list
        if usesDNSBL { result.dnsbl = DNSBLChecker(parameters: parameters.dnsbl, root: RootDirectory(root)) }
        return (result, problems)
    }

    /// A custom condition as the session runs it; its script, if any, is added to `scripts`
    /// once (a condition on several milters shares it).
    private static func program(
        _ custom: CustomCondition, named name: String,
        scripts: inout (list: [ConditionScript], byCondition: [String: Int])
    ) -> ConditionProgram {
        guard let script = custom.script else { return ConditionProgram(rules: RuleEvaluator(custom)) }
        let index = scripts.byCondition[name] ?? scripts.list.count
        if index == scripts.list.count {
            scripts.list.append(script)
            scripts.byCondition[name] = index
        }
        return ConditionProgram(rules: RuleEvaluator(custom), script: index, scriptPath: script.path)
    }
}
