import MilterSupport

/// The declarative rules of `define_applicable_condition` blocks (`condition.stop_if(...)` and
/// its three siblings) and `condition.lua_script`.
extension Evaluator {
    /// The rule methods: what the rule does and whether it is negated.
    static let ruleMethods: [String: (stops: Bool, negated: Bool)] = [
        "stop_if": (true, false), "stop_unless": (true, true), "continue_if": (false, false),
        "continue_unless": (false, true),
    ]

    /// The options a rule takes besides its subject.
    static let ruleOptions = ["stage", "scope", "value", "result"]
    /// The subject options.
    static let subjectOptions = [
        "client_address", "client_host", "helo", "sender", "recipient", "macro", "header", "child",
    ]

    /// Adds the rule written by `method(options)` to the condition at `index`.
    mutating func addRule(
        _ method: String, arguments: [LocatedValue], conditionIndex index: Int, at: Provenance, here: SourceLocation
    ) throws(ConfigurationError) {
        guard let kind = Self.ruleMethods[method] else { return }
        let fullName = "condition.\(method)"
        guard arguments.count == 1, case .hash(let options) = arguments[0].value else {
            throw ConfigurationError(
                .invalidRule(
                    "\(fullName) takes name: value options",
                    hint: "write \(fullName)(stage: :connect, client_address: [\"192.0.2.0/24\"])"), at: here)
        }
        guard case .custom(var custom) = configuration.applicableConditions[index].kind else {
            let name = configuration.applicableConditions[index].name
            throw ConfigurationError(
                .invalidRule(
                    "\(RubyLiteral.inspect(name)) is a built-in condition; rules cannot be added to it",
                    hint: "define a condition with a name of its own and add it to the milter"), at: here)
        }
        for key in options.keys.sorted() where !Self.ruleOptions.contains(key) && !Self.subjectOptions.contains(key) {
            let suggestion = Suggestion.closest(to: key, in: Self.ruleOptions + Self.subjectOptions)
            throw ConfigurationError(
                .unknownKey("\(fullName) option \(key)", suggestion: suggestion), at: options[key]!.location)
        }
        let resolved = try resolvingTableOptions(options)
        let rule: ConditionRule
        do throws(ConfigurationErrorKind) {
            rule = try makeRule(fullName, options: resolved, stops: kind.stops, negated: kind.negated, at: at)
        } catch {
            throw ConfigurationError(error, at: here)
        }
        custom.rules.append(rule)
        configuration.applicableConditions[index].kind = .custom(custom)
    }

    /// The options with the table strings of the match options loaded.
    private mutating func resolvingTableOptions(_ options: [String: LocatedValue]) throws(ConfigurationError)
        -> [String: LocatedValue]
    {
        var resolved = options
        for key in ["client_address", "client_host", "helo", "sender", "recipient", "value"] {
            if let value = options[key] { resolved[key] = try resolvingTables([value])[0] }
        }
        return resolved
    }

    private func makeRule(
        _ method: String, options: [String: LocatedValue], stops: Bool, negated: Bool, at: Provenance
    ) throws(ConfigurationErrorKind) -> ConditionRule {
        let subjects = Self.subjectOptions.filter { options[$0] != nil }
        guard subjects.count == 1, let subjectKey = subjects.first, let subjectValue = options[subjectKey] else {
            throw .invalidRule(
                subjects.isEmpty
                    ? "\(method) needs what to look at"
                    : "\(method) looks at one thing, not "
                        + subjects.joined(separator: " and "),
                hint: "give one of " + Self.subjectOptions.map { $0 + ":" }.joined(separator: ", "))
        }
        let subject: RuleSubject
        var matchValue = subjectValue
        switch subjectKey {
        case "client_address": subject = .clientAddress
        case "client_host": subject = .clientHost
        case "helo": subject = .helo
        case "sender": subject = .sender
        case "recipient": subject = .recipient
        case "macro", "header", "child":
            var name = try subjectValue.string(for: "\(method) \(subjectKey)")
            if subjectKey == "macro", name.hasPrefix("{"), name.hasSuffix("}"), name.count > 2 {
                name = String(name.dropFirst().dropLast())
            }
            guard !name.isEmpty, !name.contains(where: { $0.isWhitespace || $0.isNewline }) else {
                throw .invalidValue(
                    key: "\(method) \(subjectKey)", value: RubyLiteral.inspect(name), allowed: "a name without blanks")
            }
            let matchKey = subjectKey == "child" ? "result" : "value"
            guard let value = options[matchKey] else {
                throw .invalidRule(
                    "\(method) with \(subjectKey): needs \(matchKey):",
                    hint: subjectKey == "child"
                        ? "e.g. child: \"spamass-milter\", result: [:reject, :discard]"
                        : "e.g. \(subjectKey): \"\(name)\", value: /./")
            }
            matchValue = value
            subject = subjectKey == "macro" ? .macro(name) : subjectKey == "header" ? .header(name) : .child(name)
        default:
            // Not reached: subjectKey is one of subjectOptions.
            throw .invalidRule(
                "\(method) needs what to look at",
                hint: "give one of " + Self.subjectOptions.map { $0 + ":" }.joined(separator: ", "))
        }
        for key in ["value", "result"] where options[key] != nil && key != (subject.isChild ? "result" : "value") {
            throw .invalidRule("\(method) with \(subjectKey): takes no \(key):", hint: "remove \(key):")
        }
        if !subject.takesMatchOption, options["value"] != nil {
            throw .invalidRule(
                "\(method) with \(subjectKey): takes the match as its own value",
                hint: "write \(subjectKey): [\"...\", /.../] without value:")
        }
        let stage = try ruleStage(options["stage"], subject: subject, method: method)
        let matchers = try Self.matchers(matchValue, subject: subject, method: method)
        var effect = RuleEffect.continue
        if stops {
            var scope = stage.defaultScope
            if let value = options["scope"] {
                let text: String
                switch value.value {
                case .symbol(let name), .string(let name): text = name
                default: throw value.mismatch("\(method) scope", "a symbol (:session, :message or :recipient)")
                }
                guard let parsed = StopScope(rawValue: text), stage.allowedScopes.contains(parsed) else {
                    throw .invalidRule(
                        "a stop at \(stage.rawValue) cannot have the scope \(RubyLiteral.inspect(text))",
                        hint: "at \(stage.rawValue) the scope is one of "
                            + stage.allowedScopes.map { ":" + $0.rawValue }.joined(separator: ", "))
                }
                scope = parsed
            }
            effect = .stop(scope)
        } else if options["scope"] != nil {
            throw .invalidRule("\(method) takes no scope:", hint: "only stop_if and stop_unless stop something")
        }
        return ConditionRule(
            stage: stage, subject: subject, matchers: matchers, negated: negated, effect: effect, definedAt: at)
    }

    private func ruleStage(_ value: LocatedValue?, subject: RuleSubject, method: String) throws(ConfigurationErrorKind)
        -> ConditionStage
    {
        let names = ConditionStage.allCases.map { ":" + $0.rawValue }.joined(separator: ", ")
        guard let value else {
            guard let stage = subject.impliedStage else {
                throw .invalidRule(
                    "\(method) with \(subject.optionName): needs stage:", hint: "give stage: one of \(names)")
            }
            return stage
        }
        let text: String
        switch value.value {
        case .symbol(let name), .string(let name): text = String(name.map { $0 == "-" ? "_" : $0 })
        default: throw value.mismatch("\(method) stage", "a symbol such as :connect")
        }
        guard let stage = ConditionStage(rawValue: text) else {
            throw .invalidValue(key: "\(method) stage", value: RubyLiteral.inspect(text), allowed: "one of \(names)")
        }
        guard subject.isKnown(at: stage) else {
            let when =
                switch subject {
                case .recipient: "only at :envelope_recipient"
                case .header: "only at :header"
                default: "from :\(subject.firstStage.rawValue) on"
                }
            throw .invalidRule(
                "\(subject.optionName) is not known at :\(stage.rawValue)",
                hint: "\(subject.optionName) can be looked at \(when)")
        }
        return stage
    }

    /// The match list of a rule: one value or an array of strings, regexes, networks, tables
    /// (or, for a child, result symbols).
    static func matchers(_ value: LocatedValue, subject: RuleSubject, method: String) throws(ConfigurationErrorKind)
        -> [RuleMatcher]
    {
        let key = "\(method) \(subject.isChild ? "result" : subject.takesMatchOption ? "value" : subject.optionName)"
        var matchers: [RuleMatcher] = []
        for element in try value.elements(for: key, allowSingle: true) {
            switch (element.value, subject) {
            case (.symbol(let name), .child), (.string(let name), .child):
                guard let result = ChildResult(rawValue: name) else {
                    throw .invalidValue(
                        key: key, value: RubyLiteral.inspect(name),
                        allowed: "one of " + ChildResult.allCases.map { ":" + $0.rawValue }.joined(separator: ", "))
                }
                matchers.append(.childResult(result))
            case (_, .child):
                throw element.mismatch(key, "result symbols such as :reject")
            case (.table(let table), _):
                matchers.append(.table(table))
            case (.regex(let regex), _):
                matchers.append(.regex(try CompiledRubyRegex(regex)))
            case (.string(let text), .clientAddress):
                guard let range = IPAddressRange(parsing: text) else {
                    throw .invalidValue(
                        key: key, value: RubyLiteral.inspect(text),
                        allowed: "an address, a network such as \"192.0.2.0/24\", or a table such as \"cidr:/path\"")
                }
                matchers.append(.network(range))
            case (.string(let text), _):
                matchers.append(.exact(text))
            default:
                throw element.mismatch(key, "strings, /regular expressions/ or \"TYPE:/path\" tables")
            }
        }
        guard !matchers.isEmpty else {
            throw .invalidRule("\(method) has an empty match list", hint: "list at least one value")
        }
        return matchers
    }

    /// `condition.lua_script = "PATH"` (nil removes it).
    mutating func assignScript(_ value: LocatedValue, conditionIndex index: Int, at: Provenance)
        throws(ConfigurationError)
    {
        guard case .custom(var custom) = configuration.applicableConditions[index].kind else {
            let name = configuration.applicableConditions[index].name
            throw ConfigurationError(
                .invalidRule(
                    "\(RubyLiteral.inspect(name)) is a built-in condition; a script cannot be added to it",
                    hint: "define a condition with a name of its own and add it to the milter"), at: value.location)
        }
        let path: String?
        do {
            path = try value.optionalString(for: "condition.lua_script")
        } catch {
            throw ConfigurationError(error, at: value.location)
        }
        custom.script = nil
        if let path { custom.script = try loadScript(path, at: at, here: value.location) }
        configuration.applicableConditions[index].kind = .custom(custom)
    }
}

extension RuleSubject {
    /// A child's result is matched with `result:`.
    var isChild: Bool {
        if case .child = self { return true }
        return false
    }

    /// Macros and headers are matched with `value:`; the other subjects take their match
    /// list as the subject option's own value.
    var takesMatchOption: Bool {
        switch self {
        case .macro, .header: return true
        case .clientAddress, .clientHost, .helo, .sender, .recipient, .child: return false
        }
    }
}
