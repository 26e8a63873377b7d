import MilterSupport

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
        let groups = GroupKeyTable.printed.map { group in
            GroupKeyTable.keys(of: group).flatMap { keys in
                GroupKeyTable.store(of: group).map { section(keys, configuration[keyPath: $0]) }
            } ?? ""
        }
        let sections =
            [header] + groups + configuration.applicableConditions.map(condition)
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

    /// One key of a table, as `item` prints it.
    static func item(_ entry: AnyConfigurationKey, _ store: SettingStore, prefix: String, indent: String = "") -> String
    {
        let (provenance, text) = entry.render(store)
        return indent + provenance.comment + "\n" + indent + prefix + entry.name + " = " + text
    }

    /// Every key of a group's table, in its order.
    static func section(_ keys: [AnyConfigurationKey], _ store: SettingStore) -> String {
        keys.map { item($0, store, prefix: String($0.fullName.prefix { $0 != "." }) + ".") }.joined(separator: "\n")
    }

    static func string(_ value: String?) -> String { RubyLiteral.inspect(value) }

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
            if case .custom(let custom) = condition.kind {
                lines += custom.rules.map { "  " + $0.definedAt.comment + "\n  " + rule($0) }
                if let script = custom.script {
                    lines.append("  " + script.definedAt.comment)
                    lines.append("  condition.lua_script = " + RubyLiteral.inspect(script.path))
                }
            }
            lines.append("end")
            return lines.joined(separator: "\n")
        }
    }

    /// One rule as the call that writes it: `condition.stop_if(stage: :connect, client_address: [...])`.
    static func rule(_ rule: ConditionRule) -> String {
        var options = ["stage: :" + rule.stage.rawValue]
        let list = "[" + rule.matchers.map(\.description).joined(separator: ", ") + "]"
        switch rule.subject {
        case .macro(let name):
            options.append("macro: " + RubyLiteral.inspect(name.count > 1 ? "{\(name)}" : name))
            options.append("value: " + list)
        case .header(let name):
            options += ["header: " + RubyLiteral.inspect(name), "value: " + list]
        case .child(let name):
            options += ["child: " + RubyLiteral.inspect(name), "result: " + list]
        case .clientAddress, .clientHost, .helo, .sender, .recipient:
            options.append(rule.subject.optionName + ": " + list)
        }
        if case .stop(let scope) = rule.effect, scope != rule.stage.defaultScope {
            options.append("scope: :" + scope.rawValue)
        }
        return "condition.\(rule.methodName)(" + options.joined(separator: ", ") + ")"
    }

    /// One `define_milter` block, keys in the original's order.
    static func milter(_ milter: MilterDefinition) -> String {
        var lines = [milter.definedAt.comment, "define_milter(\(RubyLiteral.inspect(milter.name))) do |milter|"]
        let indent = "  "
        for entry in MilterKey.all {
            lines.append(item(entry, milter.store, prefix: "milter.", indent: indent))
            if entry.name == MilterKey.applicableConditionsAfter {
                lines += applicableConditions(milter, indent: indent)
            }
        }
        lines.append("end")
        return lines.joined(separator: "\n")
    }

    private static func applicableConditions(_ milter: MilterDefinition, indent: String) -> [String] {
        if milter.applicableConditions.isEmpty {
            return [
                indent + milter.applicableConditionsProvenance.comment, indent + "milter.applicable_conditions = []",
            ]
        }
        var lines = [indent + "milter.applicable_conditions = ["]
        for condition in milter.applicableConditions {
            lines.append(indent + indent + condition.provenance.comment)
            lines.append(indent + indent + RubyLiteral.inspect(condition.value) + ",")
        }
        lines.append(indent + "]")
        return lines
    }
}
