import MilterSupport

/// Prints the condition helpers' parameters for `--show-config`: the scalar settings always,
/// list entries beyond the built-in ones as the calls that add them (`s25r.add_whitelist`),
/// so that the printed text loads back to the same parameters.
enum ConditionParametersPrinter {
    /// The section text (no trailing newline).
    static func render(_ parameters: ConditionParameters) -> String {
        var items: [String] = []
        let s25r = parameters.s25r
        items.append(ConfigurationPrinter.item("s25r.only_check_ipv4", s25r.onlyCheckIPv4, { "\($0)" }))
        items += additions(s25r.whitelist, builtIn: S25RParameters.defaultWhitelist) { "s25r.add_whitelist(\($0))" }
        items += additions(s25r.blacklist, builtIn: S25RParameters.defaultBlacklist) { "s25r.add_blacklist(\($0))" }

        let network = parameters.remoteNetwork
        items += additions(network.localAddresses, builtIn: []) {
            "remote_network.add_local_address(\(RubyLiteral.inspect($0.text)))"
        }
        items += additions(network.remoteAddresses, builtIn: []) {
            "remote_network.add_remote_address(\(RubyLiteral.inspect($0.text)))"
        }

        let trust = parameters.trust
        if let clearedAt = trust.clearedAt {
            items.append(clearedAt.comment + "\ntrust.clear")
            items += additions(trust.envelopeFromDomains, builtIn: []) { "trust.add_envelope_from_domain(\($0))" }
        } else {
            items += additions(trust.envelopeFromDomains, builtIn: TrustParameters.defaultEnvelopeFromDomains) {
                "trust.add_envelope_from_domain(\($0))"
            }
        }

        items.append(
            ConfigurationPrinter.item("stress.threshold_n_connections", parameters.stress.thresholdNConnections) {
                $0.map { "\($0)" } ?? "nil"
            })

        let dnsbl = parameters.dnsbl
        items += additions(dnsbl.services, builtIn: DNSBLParameters.defaultServices) { service in
            "dnsbl.add_service(\(RubyLiteral.inspect(service.domain)), "
                + "\(service.expected.map { RubyLiteral.inspect($0.text) } ?? "nil"))"
        }
        items.append(
            ConfigurationPrinter.item("dnsbl.name_servers", dnsbl.nameServers) { RubyLiteral.inspect($0) })
        items.append(ConfigurationPrinter.item("dnsbl.timeout", dnsbl.timeout) { RubyLiteral.float($0) })
        items.append(
            ConfigurationPrinter.item("dnsbl.timeout_result", dnsbl.timeoutResult) { RubyLiteral.inspect($0.rawValue) })
        return items.joined(separator: "\n")
    }

    /// The entries after the intact built-in prefix, each as `# provenance` + call.
    private static func additions<Value>(
        _ entries: [Setting<Value>], builtIn: [Value], _ call: (Value) -> String
    ) -> [String] {
        var prefix = 0
        while prefix < builtIn.count, prefix < entries.count, entries[prefix].value == builtIn[prefix],
            entries[prefix].provenance == .default
        {
            prefix += 1
        }
        let skipped = prefix == builtIn.count ? prefix : 0
        return entries.dropFirst(skipped).map { $0.provenance.comment + "\n" + call($0.value) }
    }
}
