import MilterSupport

/// `define_milter`, `define_applicable_condition`, `restrict_accounts_by_list` and the keys
/// and methods of milters and conditions.
extension Evaluator {
    // MARK: milters

    /// Creates the milter `name` or re-opens it, then runs the block with the milter bound
    /// to the block parameter. Re-opening keeps every earlier setting and the milter's place
    /// in the processing order (the original resets fallback_status and evaluation_mode and
    /// moves the milter to the end, detection.md 8.2 #2).
    mutating func defineMilter(
        _ name: String, block: Block?, at: Provenance, location here: SourceLocation, scope: Scope
    ) throws(ConfigurationError) {
        guard let block else { throw ConfigurationError(.missingBlock("define_milter"), at: here) }
        if configuration.milter(named: name) == nil {
            configuration.milters.append(MilterDefinition(name: name, definedAt: at))
        }
        var inner = scope
        if let parameter = block.parameters.first { inner[parameter] = .object(.milter(name)) }
        execute(block.body, scope: inner)
    }

    private func milterIndex(_ name: String) throws(ConfigurationErrorKind) -> Int {
        guard let index = configuration.milters.firstIndex(where: { $0.name == name }) else {
            throw .unsupportedConstruct(
                "use of the milter \(RubyLiteral.inspect(name)) after remove_milter", hint: "define it again first")
        }
        return index
    }

    mutating func assignMilterKey(
        _ key: String, of name: String, value: LocatedValue, append: Bool, at: Provenance
    ) throws(ConfigurationErrorKind) {
        let index = try milterIndex(name)
        if key == "applicable_conditions" {
            var names: [Setting<String>] = []
            for element in try value.elements(for: "milter.applicable_conditions") {
                let conditionName = try conditionName(element, key: "milter.applicable_conditions")
                names.append(Setting(conditionName, element.annotation ?? at))
            }
            if append {
                names = configuration.milters[index].applicableConditions + names
            } else {
                configuration.milters[index].applicableConditionsProvenance = at
            }
            configuration.milters[index].applicableConditions = Self.unique(names)
            return
        }
        if MilterKey.readOnly.contains(key) { throw .readOnlyKey("milter.\(key)") }
        guard let entry = MilterKey.all.first(where: { $0.name == key }) else {
            let suggestion = Suggestion.closest(to: key, in: MilterKey.allNames + ["add_applicable_condition"])
            throw .unknownKey("milter.\(key)", suggestion: suggestion.map { "milter.\($0)" })
        }
        if append { throw Self.appendNotSupported(entry.fullName) }
        try entry.assign(&configuration.milters[index].store, value, at)
    }

    /// The condition names in order, the first occurrence of each kept.
    static func unique(_ names: [Setting<String>]) -> [Setting<String>] {
        var seen: Set<String> = []
        return names.filter { seen.insert($0.value).inserted }
    }

    /// A defined condition's name given as a string (or symbol).
    private func conditionName(_ value: LocatedValue, key: String) throws(ConfigurationErrorKind) -> String {
        let name: String
        switch value.value {
        case .string(let text), .symbol(let text): name = text
        default: throw value.mismatch(key, "an array of condition names")
        }
        guard configuration.applicableCondition(named: name) != nil else {
            throw .unknownCondition(name, available: configuration.applicableConditions.map(\.name))
        }
        return name
    }

    mutating func callMilterMethod(
        _ call: Call, milter name: String, expression: Expression, scope: Scope
    ) throws(ConfigurationError) -> EvaluatedValue {
        let here = location(expression.line, expression.column)
        let at = provenance(expression.annotation, line: expression.line)
        var arguments: [LocatedValue] = []
        for argument in call.arguments ?? [] { arguments.append(try evaluate(argument, scope: scope)) }
        do throws(ConfigurationErrorKind) {
            let index = try milterIndex(name)
            switch call.name {
            case "add_applicable_condition":
                guard arguments.count == 1 else {
                    throw ConfigurationErrorKind.wrongArgumentCount(
                        method: "milter.add_applicable_condition", expected: "1 argument", found: arguments.count)
                }
                let conditionName = try conditionName(arguments[0], key: "milter.add_applicable_condition")
                configuration.milters[index].applicableConditions = Self.unique(
                    configuration.milters[index].applicableConditions + [Setting(conditionName, at)])
                return .nilValue
            case "name" where arguments.isEmpty:
                return .string(name)
            case "applicable_conditions" where arguments.isEmpty:
                return .array(
                    configuration.milters[index].applicableConditions.map {
                        LocatedValue(value: .string($0.value), location: here, annotation: $0.provenance)
                    })
            default:
                if MilterKey.all.contains(where: { $0.name == call.name }) {
                    throw ConfigurationErrorKind.unsupportedConstruct(
                        "reading milter.\(call.name)", hint: "settings can be assigned, not read")
                }
                let suggestion = Suggestion.closest(
                    to: call.name, in: MilterKey.allNames + ["add_applicable_condition"])
                throw ConfigurationErrorKind.unknownMethod(
                    "milter.\(call.name)", suggestion: suggestion.map { "milter.\($0)" })
            }
        } catch {
            throw ConfigurationError(error, at: here)
        }
    }

    // MARK: conditions

    /// Creates or re-opens the condition `name` (its place and earlier settings kept) and
    /// runs the block: `description`, `data`, rules (`stop_if` ...) and `lua_script`.
    mutating func defineCondition(
        _ name: String, block: Block?, at: Provenance, location here: SourceLocation, scope: Scope
    ) throws(ConfigurationError) {
        guard let block else { throw ConfigurationError(.missingBlock("define_applicable_condition"), at: here) }
        let isNew = configuration.applicableCondition(named: name) == nil
        if isNew {
            configuration.applicableConditions.append(
                ApplicableConditionDefinition(
                    name: name, kind: .custom(CustomCondition()), description: Setting(nil), definedAt: at))
        }
        var inner = scope
        if let parameter = block.parameters.first { inner[parameter] = .object(.condition(name)) }
        execute(block.body, scope: inner)
        if isNew, case .custom(let custom)? = configuration.applicableCondition(named: name)?.kind, !custom.canStop {
            warnings.append(
                Diagnostic(
                    location: here, severity: .warning,
                    message: "applicable condition \(RubyLiteral.inspect(name)) has no rules or script here "
                        + "and never stops a milter"))
        }
    }

    mutating func assignConditionKey(
        _ key: String, of name: String, value: LocatedValue, append: Bool, at: Provenance
    ) throws(ConfigurationErrorKind) {
        guard let index = configuration.applicableConditions.firstIndex(where: { $0.name == name }) else {
            throw .unknownCondition(name, available: configuration.applicableConditions.map(\.name))
        }
        if append { throw Self.appendNotSupported("condition.\(key)") }
        switch key {
        case "description":
            configuration.applicableConditions[index].description.set(
                try value.optionalString(for: "condition.description"), at: at)
        case "data":
            configuration.applicableConditions[index].data.set(try value.optionalString(for: "condition.data"), at: at)
        case "name":
            throw .readOnlyKey("condition.name")
        case "lua_script":
            do {
                try assignScript(value, conditionIndex: index, at: at)
            } catch {
                errors.append(error)
            }
        default:
            let suggestion = Suggestion.closest(to: key, in: ["description", "data", "lua_script"])
            throw .unknownKey("condition.\(key)", suggestion: suggestion.map { "condition.\($0)" })
        }
    }

    mutating func callConditionMethod(
        _ call: Call, condition name: String, expression: Expression, scope: Scope
    ) throws(ConfigurationError) -> EvaluatedValue {
        let here = location(expression.line, expression.column)
        if call.name.hasPrefix("define_") && call.name.hasSuffix("_stopper") {
            throw ConfigurationError(
                .unsupportedConstruct(
                    "condition.\(call.name)",
                    hint: "stoppers are Ruby code; write rules (condition.stop_if(...)) or a Lua script "
                        + "(condition.lua_script = \"FILE.lua\"): see the table \"From the original's Ruby\" in "
                        + "docs/conditions.md"),
                at: here)
        }
        if call.name == "name" && call.arguments == nil { return .string(name) }
        if Self.ruleMethods[call.name] != nil {
            guard let index = configuration.applicableConditions.firstIndex(where: { $0.name == name }) else {
                throw ConfigurationError(
                    .unknownCondition(name, available: configuration.applicableConditions.map(\.name)), at: here)
            }
            var arguments: [LocatedValue] = []
            for argument in call.arguments ?? [] { arguments.append(try evaluate(argument, scope: scope)) }
            let at = provenance(expression.annotation, line: expression.line)
            try addRule(call.name, arguments: arguments, conditionIndex: index, at: at, here: here)
            return .nilValue
        }
        let names = ["description", "data", "lua_script"] + Self.ruleMethods.keys.sorted()
        let suggestion = Suggestion.closest(to: call.name, in: names)
        throw ConfigurationError(
            .unknownMethod("condition.\(call.name)", suggestion: suggestion.map { "condition.\($0)" }), at: here)
    }

    /// `restrict_accounts_by_list(account..., condition_name: "NAME", milters: ["m"])`: defines
    /// (or redefines) the condition and appends it to the listed milters (default: every
    /// milter defined so far).
    mutating func restrictAccountsByList(
        _ arguments: [LocatedValue], at: Provenance, location here: SourceLocation
    ) throws(ConfigurationError) {
        let method = "restrict_accounts_by_list"
        var options: [String: LocatedValue] = [:]
        var accountValues = arguments
        if case .hash(let entries)? = arguments.last?.value {
            options = entries
            accountValues.removeLast()
        }
        do throws(ConfigurationErrorKind) {
            var accounts: [TextMatcher] = []
            for value in accountValues {
                for element in try value.elements(for: method, allowSingle: true) {
                    accounts.append(try ConditionHelperKeys.matcher(element, method: method, lowercased: false))
                }
            }
            for key in options.keys.sorted() where key != "condition_name" && key != "milters" {
                throw ConfigurationErrorKind.unknownKey(
                    "\(method) option \(key)",
                    suggestion: Suggestion.closest(to: key, in: ["condition_name", "milters"]))
            }
            let name =
                try options["condition_name"]?.string(for: "\(method) condition_name")
                ?? "Restrict Accounts by List: [" + accounts.map(\.description).joined(separator: ", ") + "]"
            var milterNames = configuration.milters.map(\.name)
            if let listed = options["milters"] {
                milterNames = []
                for element in try listed.elements(for: "\(method) milters", allowSingle: true) {
                    let milterName = try element.string(for: "\(method) milters")
                    guard configuration.milter(named: milterName) != nil else {
                        throw ConfigurationErrorKind.invalidValue(
                            key: "\(method) milters", value: RubyLiteral.inspect(milterName),
                            allowed: "not a defined milter")
                    }
                    milterNames.append(milterName)
                }
            }
            let kind = ConditionKind.restrictAccounts(RestrictAccountsParameters(accounts: accounts))
            let description = Setting<String?>(RestrictAccountsParameters.description, at)
            if let index = configuration.applicableConditions.firstIndex(where: { $0.name == name }) {
                configuration.applicableConditions[index].kind = kind
                configuration.applicableConditions[index].description = description
                configuration.applicableConditions[index].definedAt = at
            } else {
                configuration.applicableConditions.append(
                    ApplicableConditionDefinition(name: name, kind: kind, description: description, definedAt: at))
            }
            for milterName in milterNames {
                guard let index = configuration.milters.firstIndex(where: { $0.name == milterName }) else { continue }
                configuration.milters[index].applicableConditions = Self.unique(
                    configuration.milters[index].applicableConditions + [Setting(name, at)])
            }
        } catch {
            throw ConfigurationError(error, at: here)
        }
    }
}
