import MilterSupport

/// Calls a method of a group (`s25r.add_whitelist(...)`); the arguments are evaluated.
typealias MethodHandler =
    @Sendable (inout ManagerConfiguration, [LocatedValue], Provenance) throws(ConfigurationErrorKind) -> Void

/// The keys and methods of the condition helpers `s25r`, `remote_network`, `trust`, `stress`
/// and `dnsbl` (detection.md 6.1-6.7).
enum ConditionHelperKeys {
    /// The assignable keys of `group`.
    static func setters(for group: ConfigurationGroup) -> [String: KeySetter] {
        switch group {
        case .s25r: return s25rKeys
        case .stress: return stressKeys
        case .dnsbl: return dnsblKeys
        case .remoteNetwork, .trust, .package, .security, .log, .manager, .controller, .database: return [:]
        }
    }

    /// The methods of `group` (`trust.load_envelope_from_domains` reads a file and is run by
    /// the evaluator itself).
    static func methods(for group: ConfigurationGroup) -> [String: MethodHandler] {
        switch group {
        case .s25r: return s25rMethods
        case .remoteNetwork: return remoteNetworkMethods
        case .trust: return trustMethods
        case .dnsbl: return dnsblMethods
        case .stress, .package, .security, .log, .manager, .controller, .database: return [:]
        }
    }

    /// Method names handled outside the tables, listed for suggestions.
    static let evaluatorMethods: [ConfigurationGroup: [String]] = [
        .trust: ["load_envelope_from_domains"],
        .manager: [
            "use_netstat_connection_checker", "report_memory_statistics", "define_connection_checker", "maintained",
            "event_loop_created",
        ],
    ]

    private static let s25rKeys: [String: KeySetter] = [
        "only_check_ipv4": { config, value, at throws(ConfigurationErrorKind) in
            config.conditionParameters.s25r.onlyCheckIPv4.set(try value.bool(for: "s25r.only_check_ipv4"), at: at)
        },
        // The name the original's documentation uses (its code only has only_check_ipv4).
        "check_only_ipv4": { config, value, at throws(ConfigurationErrorKind) in
            config.conditionParameters.s25r.onlyCheckIPv4.set(try value.bool(for: "s25r.check_only_ipv4"), at: at)
        },
    ]

    private static let stressKeys: [String: KeySetter] = [
        "threshold_n_connections": { config, value, at throws(ConfigurationErrorKind) in
            let key = "stress.threshold_n_connections"
            let threshold: Int? =
                if case .nilValue = value.value { nil } else {
                    try value.integer(for: key, in: NumericLimits.connectionCount)
                }
            config.conditionParameters.stress.thresholdNConnections.set(threshold, at: at)
        }
    ]

    private static let dnsblKeys: [String: KeySetter] = [
        "timeout": { config, value, at throws(ConfigurationErrorKind) in
            let seconds = try value.number(for: "dnsbl.timeout")
            let range = DNSBLParameters.timeoutRange
            guard range.contains(seconds) else {
                throw .invalidValue(
                    key: "dnsbl.timeout", value: RubyLiteral.float(seconds),
                    allowed: "seconds, \(RubyLiteral.float(range.lowerBound))..\(RubyLiteral.float(range.upperBound))")
            }
            config.conditionParameters.dnsbl.timeout.set(seconds, at: at)
        },
        "timeout_result": { config, value, at throws(ConfigurationErrorKind) in
            let text: String
            switch value.value {
            case .string(let string), .symbol(let string): text = string
            default: throw value.mismatch("dnsbl.timeout_result", "\"listed\" or \"not_listed\"")
            }
            guard let result = DNSBLTimeoutResult(rawValue: text) else {
                throw .invalidValue(
                    key: "dnsbl.timeout_result", value: RubyLiteral.inspect(text),
                    allowed: "one of \"not_listed\", \"listed\"")
            }
            config.conditionParameters.dnsbl.timeoutResult.set(result, at: at)
        },
        "name_server": { config, value, at throws(ConfigurationErrorKind) in
            let server = try value.string(for: "dnsbl.name_server")
            try checkAddress(server, key: "dnsbl.name_server")
            config.conditionParameters.dnsbl.nameServers.set([server], at: at)
        },
        "name_servers": { config, value, at throws(ConfigurationErrorKind) in
            var servers: [String] = []
            for element in try value.elements(for: "dnsbl.name_servers") {
                let server = try element.string(for: "dnsbl.name_servers")
                try checkAddress(server, key: "dnsbl.name_servers")
                servers.append(server)
            }
            config.conditionParameters.dnsbl.nameServers.set(servers, at: at)
        },
    ]

    private static let s25rMethods: [String: MethodHandler] = [
        "add_whitelist": { config, arguments, at throws(ConfigurationErrorKind) in
            let matcher = try matcher(arguments, method: "s25r.add_whitelist", lowercased: false)
            config.conditionParameters.s25r.whitelist.append(Setting(matcher, at))
        },
        "add_blacklist": { config, arguments, at throws(ConfigurationErrorKind) in
            let matcher = try matcher(arguments, method: "s25r.add_blacklist", lowercased: false)
            config.conditionParameters.s25r.blacklist.append(Setting(matcher, at))
        },
    ]

    private static let remoteNetworkMethods: [String: MethodHandler] = [
        "add_local_address": { config, arguments, at throws(ConfigurationErrorKind) in
            let range = try addressRange(arguments, method: "remote_network.add_local_address")
            config.conditionParameters.remoteNetwork.localAddresses.append(Setting(range, at))
        },
        "add_remote_address": { config, arguments, at throws(ConfigurationErrorKind) in
            let range = try addressRange(arguments, method: "remote_network.add_remote_address")
            config.conditionParameters.remoteNetwork.remoteAddresses.append(Setting(range, at))
        },
    ]

    private static let trustMethods: [String: MethodHandler] = [
        "add_envelope_from_domain": { config, arguments, at throws(ConfigurationErrorKind) in
            let matcher = try matcher(arguments, method: "trust.add_envelope_from_domain", lowercased: true)
            config.conditionParameters.trust.envelopeFromDomains.append(Setting(matcher, at))
        },
        "clear": { config, arguments, at throws(ConfigurationErrorKind) in
            guard arguments.isEmpty else {
                throw .wrongArgumentCount(method: "trust.clear", expected: "no arguments", found: arguments.count)
            }
            config.conditionParameters.trust.envelopeFromDomains = []
            config.conditionParameters.trust.clearedAt = at
        },
    ]

    private static let dnsblMethods: [String: MethodHandler] = [
        "add_service": { config, arguments, at throws(ConfigurationErrorKind) in
            guard arguments.count == 1 || arguments.count == 2 else {
                throw .wrongArgumentCount(
                    method: "dnsbl.add_service", expected: "1 or 2 arguments", found: arguments.count)
            }
            let domain = try arguments[0].string(for: "dnsbl.add_service")
            var expected: IPAddressRange?
            if arguments.count == 2, let text = try arguments[1].optionalString(for: "dnsbl.add_service") {
                guard let range = IPAddressRange(parsing: text) else {
                    throw .invalidValue(
                        key: "dnsbl.add_service", value: RubyLiteral.inspect(text),
                        allowed: "an address or a CIDR network")
                }
                expected = range
            }
            config.conditionParameters.dnsbl.services.append(
                Setting(DNSBLService(domain: domain, expected: expected), at))
        }
    ]

    /// A string or regex argument as a matcher.
    static func matcher(
        _ arguments: [LocatedValue], method: String, lowercased: Bool
    ) throws(ConfigurationErrorKind) -> TextMatcher {
        guard arguments.count == 1 else {
            throw .wrongArgumentCount(method: method, expected: "1 argument", found: arguments.count)
        }
        return try matcher(arguments[0], method: method, lowercased: lowercased)
    }

    /// A string or regex value as a matcher (the regex must compile).
    static func matcher(
        _ argument: LocatedValue, method: String, lowercased: Bool
    ) throws(ConfigurationErrorKind) -> TextMatcher {
        switch argument.value {
        case .table(let table): return .table(table)
        case .string(let text): return .exact(lowercased ? text.lowercased() : text)
        case .regex(let regex):
            if let reason = regex.compilationError() { throw .invalidRegex(regex.description, reason: reason) }
            return .regex(regex)
        default:
            throw argument.mismatch(method, "a string or a regular expression")
        }
    }

    private static func addressRange(
        _ arguments: [LocatedValue], method: String
    ) throws(ConfigurationErrorKind) -> AddressMatcher {
        guard arguments.count == 1 else {
            throw .wrongArgumentCount(method: method, expected: "1 argument", found: arguments.count)
        }
        if case .table(let table) = arguments[0].value { return .table(table) }
        let text = try arguments[0].string(for: method)
        guard let range = IPAddressRange(parsing: text) else {
            throw .invalidValue(
                key: method, value: RubyLiteral.inspect(text),
                allowed: "an address, a CIDR network or a table such as \"cidr:/path\"")
        }
        return .range(range)
    }

    private static func checkAddress(_ text: String, key: String) throws(ConfigurationErrorKind) {
        guard DNSNameServer(parsing: text) != nil else {
            throw .invalidValue(
                key: key, value: RubyLiteral.inspect(text),
                allowed: "an IPv4 or IPv6 address, with a port as \"192.0.2.53:5353\" or \"[2001:db8::53]:5353\"")
        }
    }
}
