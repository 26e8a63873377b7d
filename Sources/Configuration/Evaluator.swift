/// Runs the statements of configuration files against a `ManagerConfiguration`.
///
/// Every statement is independent: one that fails (unknown key, wrong type, unsupported
/// Ruby) is recorded as a `ConfigurationError` with file, line and column, and the next
/// statement runs. Loaded files, `load_default` and the condition helpers are all handled
/// here; `ConfigurationLoader` is the public entry point.
struct Evaluator {
    /// The configuration being built.
    var configuration: ManagerConfiguration
    /// The errors met so far.
    var errors: [ConfigurationError] = []
    /// Warnings (detection diagnostics, ignored settings).
    var warnings: [Diagnostic] = []
    /// Constructs of the original that are accepted but not honoured (files not read).
    var findings: [CompatibilityFinding] = []
    /// The files evaluated, in order.
    var loadedFiles: [String] = []

    /// Where files are read.
    let root: RootDirectory
    /// Directories (inside the root) relative names are resolved against, in order.
    let loadPaths: [String]
    /// What `load_default` calls; nil: `load_default` only sets privilege mode.
    let detector: (any MilterDetecting)?
    /// What checks Lua condition scripts at load; nil: they are read, not compiled.
    let scriptChecker: (any ConditionScriptChecking)?
    /// The tables loaded so far by this run, by `TYPE:resolved path` (each is read once).
    var tableCache: [String: PostfixTable] = [:]

    /// The file being evaluated (as seen inside the root).
    var currentFile = ""
    /// The files being evaluated, outermost first (to catch load cycles).
    var loadingStack: [String] = []

    /// How many statements have run (loops count every pass).
    var statementsRun = 0
    /// The most statements one load runs (every file and loop pass counted): a real
    /// configuration runs hundreds, while nested
    /// `defined_milters.each` loops multiply (n milters, k levels: n^k passes).
    static let maximumStatementsRun = 10_000

    /// Block variables in scope (`milter` in `define_milter("x") do |milter|`).
    typealias Scope = [String: EvaluatedValue]

    /// An evaluator starting from `configuration`.
    init(
        configuration: ManagerConfiguration, root: RootDirectory, loadPaths: [String],
        detector: (any MilterDetecting)?, scriptChecker: (any ConditionScriptChecking)? = nil
    ) {
        self.configuration = configuration
        self.root = root
        self.loadPaths = loadPaths
        self.detector = detector
        self.scriptChecker = scriptChecker
    }

    /// The top-level function names, for suggestions.
    static let topLevelNames = [
        "load", "load_if_exist", "load_default", "define_milter", "remove_milter", "defined_milters",
        "define_applicable_condition", "restrict_accounts_by_list",
    ]

    /// Names of the original's DSL that need Ruby, with the hint shown when they are used.
    static let rubyOnlyNames: [String: String] = [
        "restrict_accounts_generic":
            "its block is Ruby code; use restrict_accounts_by_list(\"user@example.com\", /@example\\.org\\z/)",
        "define_policy": "policies are an experimental Ruby feature of the original and are not supported",
        "require": "there is no Ruby interpreter; the configuration is read by a parser for a fixed subset",
        "configuration": "the raw configuration object is not available; assign group keys instead",
        "puts": "printing from the configuration is not supported; use milter-manager --show-config",
        "p": "printing from the configuration is not supported; use milter-manager --show-config",
        "print": "printing from the configuration is not supported; use milter-manager --show-config",
    ]

    func location(_ line: Int, _ column: Int) -> SourceLocation {
        SourceLocation(file: currentFile, line: line, column: column)
    }

    func provenance(_ annotation: Provenance?, line: Int) -> Provenance {
        annotation ?? .file(SourceLocation(file: currentFile, line: line))
    }

    // MARK: statements

    /// Runs `statements`; each failure is recorded and the next statement runs.
    mutating func execute(_ statements: [Statement], scope: Scope) {
        for statement in statements {
            statementsRun += 1
            guard statementsRun <= Self.maximumStatementsRun else {
                if statementsRun == Self.maximumStatementsRun + 1 {
                    errors.append(
                        ConfigurationError(
                            .evaluationTooLong(limit: Self.maximumStatementsRun),
                            at: location(statement.line, statement.column)))
                }
                return
            }
            do {
                try execute(statement, scope: scope)
            } catch {
                errors.append(error)
            }
        }
    }

    private mutating func execute(_ statement: Statement, scope: Scope) throws(ConfigurationError) {
        switch statement.kind {
        case .expression(let expression):
            guard case .call = expression.kind else {
                let value = try evaluate(expression, scope: scope)
                throw ConfigurationError(
                    .unexpectedToken(expected: "a statement", found: value.value.display),
                    at: location(statement.line, statement.column))
            }
            _ = try evaluate(expression, scope: scope)
        case .assignment(let target, let key, let valueExpression, let append):
            let object = try evaluate(target, scope: scope)
            let value = try evaluate(valueExpression, scope: scope)
            let at = provenance(statement.annotation, line: statement.line)
            let here = location(statement.line, statement.column)
            guard case .object(let receiver) = object.value else {
                throw ConfigurationError(
                    .unsupportedConstruct(
                        "assignment to \"\(key)\" of \(object.value.display)",
                        hint: "only settings of groups, milters and conditions can be assigned"),
                    at: here)
            }
            do {
                try assign(key, of: receiver, value: value, append: append, at: at)
            } catch {
                throw ConfigurationError(error, at: here)
            }
        }
    }

    private mutating func assign(
        _ key: String, of receiver: ConfigurationObject, value: LocatedValue, append: Bool, at: Provenance
    ) throws(ConfigurationErrorKind) {
        switch receiver {
        case .group(let group):
            if let keys = GroupKeyTable.keys(of: group), let store = GroupKeyTable.store(of: group) {
                guard let entry = keys.first(where: { $0.name == key }) else {
                    throw Self.unknownGroupKey(key, of: group, keyNames: keys.map(\.name))
                }
                if append { throw Self.appendNotSupported(entry.fullName) }
                try entry.assign(&configuration[keyPath: store], value, at)
                return
            }
            let setters = ConditionHelperKeys.setters(for: group)
            guard let setter = setters[key] else {
                throw Self.unknownGroupKey(key, of: group, keyNames: Array(setters.keys))
            }
            if append { throw Self.appendNotSupported("\(group.rawValue).\(key)") }
            try setter(&configuration, value, at)
        case .milter(let name):
            try assignMilterKey(key, of: name, value: value, append: append, at: at)
        case .condition(let name):
            try assignConditionKey(key, of: name, value: value, append: append, at: at)
        }
    }

    /// An unknown key of `group`, or an assignment to one of its methods.
    static func unknownGroupKey(_ key: String, of group: ConfigurationGroup, keyNames: [String])
        -> ConfigurationErrorKind
    {
        let methods = Self.methodNames(of: group)
        if methods.contains(key) {
            return .unsupportedConstruct(
                "assignment to the method \(group.rawValue).\(key)", hint: "call it: \(group.rawValue).\(key)(...)")
        }
        let suggestion = Suggestion.closest(to: key, in: keyNames + methods)
        return .unknownKey("\(group.rawValue).\(key)", suggestion: suggestion.map { "\(group.rawValue).\($0)" })
    }

    /// The names of `group`'s assignable keys.
    static func keyNames(of group: ConfigurationGroup) -> [String] {
        GroupKeyTable.keys(of: group)?.map(\.name) ?? Array(ConditionHelperKeys.setters(for: group).keys)
    }

    static func appendNotSupported(_ key: String) -> ConfigurationErrorKind {
        .unsupportedConstruct("\"+=\" on \(key)", hint: "only milter.applicable_conditions supports +=; use =")
    }

    /// The method names of `group` (for suggestions and messages).
    static func methodNames(of group: ConfigurationGroup) -> [String] {
        Array(ConditionHelperKeys.methods(for: group).keys) + (ConditionHelperKeys.evaluatorMethods[group] ?? [])
    }

    // MARK: expressions

    /// The value of `expression`.
    mutating func evaluate(_ expression: Expression, scope: Scope) throws(ConfigurationError) -> LocatedValue {
        let here = location(expression.line, expression.column)
        func located(_ value: EvaluatedValue) -> LocatedValue {
            LocatedValue(value: value, location: here, annotation: expression.annotation)
        }
        switch expression.kind {
        case .string(let text): return located(.string(text))
        case .integer(let value): return located(.integer(value))
        case .float(let value): return located(.float(value))
        case .bool(let value): return located(.bool(value))
        case .nilLiteral: return located(.nilValue)
        case .regex(let regex): return located(.regex(regex))
        case .symbol(let name): return located(.symbol(name))
        case .array(let elements):
            var values: [LocatedValue] = []
            for element in elements { values.append(try evaluate(element, scope: scope)) }
            return located(.array(values))
        case .hash(let entries):
            var values: [String: LocatedValue] = [:]
            for entry in entries { values[entry.key] = try evaluate(entry.value, scope: scope) }
            return located(.hash(values))
        case .call(let call):
            return located(try evaluateCall(call, expression: expression, scope: scope))
        }
    }

    private mutating func evaluateCall(
        _ call: Call, expression: Expression, scope: Scope
    ) throws(ConfigurationError) -> EvaluatedValue {
        let here = location(expression.line, expression.column)
        if let receiverExpression = call.receiver {
            let receiver = try evaluate(receiverExpression, scope: scope)
            return try callMethod(call, on: receiver, expression: expression, scope: scope)
        }
        if call.arguments == nil && call.block == nil {
            if let value = scope[call.name] { return value }
            if let group = ConfigurationGroup(rawValue: call.name) { return .object(.group(group)) }
        }
        let arguments = try evaluateArguments(call, scope: scope)
        let at = provenance(expression.annotation, line: expression.line)
        switch call.name {
        case "load", "load_if_exist":
            let name = try singleString(arguments, method: call.name, at: here)
            return .bool(try load(name, required: call.name == "load", at: here))
        case "load_default":
            guard arguments.isEmpty else {
                throw ConfigurationError(
                    .wrongArgumentCount(method: "load_default", expected: "no arguments", found: arguments.count),
                    at: here)
            }
            loadDefault()
            return .nilValue
        case "define_milter":
            let name = try singleString(arguments, method: "define_milter", at: here)
            try defineMilter(name, block: call.block, at: at, location: here, scope: scope)
            return .nilValue
        case "remove_milter":
            let name = try singleString(arguments, method: "remove_milter", at: here)
            configuration.milters.removeAll { $0.name == name }
            return .nilValue
        case "defined_milters":
            return .array(configuration.milters.map { LocatedValue(value: .string($0.name), location: here) })
        case "define_applicable_condition":
            let name = try singleString(arguments, method: "define_applicable_condition", at: here)
            try defineCondition(name, block: call.block, at: at, location: here, scope: scope)
            return .nilValue
        case "restrict_accounts_by_list":
            try restrictAccountsByList(try resolvingTables(arguments), at: at, location: here)
            return .nilValue
        default:
            if let hint = Self.rubyOnlyNames[call.name] {
                throw ConfigurationError(.unsupportedConstruct("\"\(call.name)\"", hint: hint), at: here)
            }
            let known = Self.topLevelNames + ConfigurationGroup.allCases.map(\.rawValue) + Array(scope.keys)
            let suggestion = Suggestion.closest(to: call.name, in: known)
            if call.arguments == nil && call.block == nil {
                throw ConfigurationError(.unknownName(call.name, suggestion: suggestion), at: here)
            }
            throw ConfigurationError(.unknownMethod(call.name, suggestion: suggestion), at: here)
        }
    }

    /// The original's `manager` methods: `use_netstat_connection_checker([interval])` sets the
    /// interval (which is reported as not honoured), `report_memory_statistics` is accepted and
    /// reported; the ones that take Ruby blocks are errors. False for any other name.
    private mutating func managerMethod(
        _ call: Call, arguments: [LocatedValue], at: Provenance, here: SourceLocation
    ) throws(ConfigurationError) -> Bool {
        switch call.name {
        case "use_netstat_connection_checker":
            guard arguments.count <= 1 else {
                throw ConfigurationError(
                    .wrongArgumentCount(
                        method: "manager.use_netstat_connection_checker", expected: "0 or 1 argument",
                        found: arguments.count), at: here)
            }
            var interval = 5
            if let argument = arguments.first {
                do {
                    interval = try argument.integer(
                        for: "manager.use_netstat_connection_checker", in: NumericLimits.intervalSeconds)
                } catch {
                    throw ConfigurationError(error, at: argument.location)
                }
            }
            configuration.manager.connectionCheckInterval.set(interval, at: at)
            return true
        case "report_memory_statistics":
            findings.append(
                CompatibilityFinding(
                    location: here,
                    message: "manager.report_memory_statistics is ignored: there is no periodic memory report",
                    instead: "remove it; watch the process's memory with your monitoring", changesBehaviour: false))
            return true
        case "define_connection_checker", "maintained", "event_loop_created":
            throw ConfigurationError(
                .unsupportedConstruct(
                    "manager.\(call.name)",
                    hint: "its block is Ruby code, which this milter manager does not run; remove it"),
                at: here)
        default:
            return false
        }
    }

    private mutating func evaluateArguments(_ call: Call, scope: Scope) throws(ConfigurationError) -> [LocatedValue] {
        var values: [LocatedValue] = []
        for argument in call.arguments ?? [] { values.append(try evaluate(argument, scope: scope)) }
        return values
    }

    func singleString(_ arguments: [LocatedValue], method: String, at here: SourceLocation) throws(ConfigurationError)
        -> String
    {
        guard arguments.count == 1 else {
            throw ConfigurationError(
                .wrongArgumentCount(method: method, expected: "1 argument", found: arguments.count), at: here)
        }
        do {
            return try arguments[0].string(for: method)
        } catch {
            throw ConfigurationError(error, at: arguments[0].location)
        }
    }

    private mutating func callMethod(
        _ call: Call, on receiver: LocatedValue, expression: Expression, scope: Scope
    ) throws(ConfigurationError) -> EvaluatedValue {
        let here = location(expression.line, expression.column)
        let at = provenance(expression.annotation, line: expression.line)
        switch receiver.value {
        case .object(.group(let group)):
            var arguments = try evaluateArguments(call, scope: scope)
            if Self.groupsTakingTables.contains(group) { arguments = try resolvingTables(arguments) }
            if group == .trust && call.name == "load_envelope_from_domains" {
                let name = try singleString(arguments, method: "trust.load_envelope_from_domains", at: here)
                try loadTrustedDomains(name, at: here)
                return .nilValue
            }
            if let block = call.block, block.isRubyCode {
                throw ConfigurationError(
                    .unsupportedConstruct(
                        "a Ruby block given to \(group.rawValue).\(call.name)",
                        hint: "block matchers are Ruby code; list names and /regular expressions/ instead, "
                            + "e.g. \(group.rawValue).\(call.name)(\"host.example.com\", /\\.example\\.org\\z/)"),
                    at: here)
            }
            if group == .manager, try managerMethod(call, arguments: arguments, at: at, here: here) {
                return .nilValue
            }
            if let method = ConditionHelperKeys.methods(for: group)[call.name] {
                do {
                    try method(&configuration, arguments, at)
                } catch {
                    throw ConfigurationError(error, at: here)
                }
                return .nilValue
            }
            let key = "\(group.rawValue).\(call.name)"
            if Self.keyNames(of: group).contains(call.name) {
                throw ConfigurationError(
                    .unsupportedConstruct("reading \(key)", hint: "settings can be assigned, not read"), at: here)
            }
            let candidates = Self.keyNames(of: group) + Self.methodNames(of: group)
            let suggestion = Suggestion.closest(to: call.name, in: candidates).map { "\(group.rawValue).\($0)" }
            throw ConfigurationError(.unknownMethod(key, suggestion: suggestion), at: here)
        case .object(.milter(let name)):
            return try callMilterMethod(call, milter: name, expression: expression, scope: scope)
        case .object(.condition(let name)):
            return try callConditionMethod(call, condition: name, expression: expression, scope: scope)
        case .array(let elements) where call.name == "each":
            guard let block = call.block else { throw ConfigurationError(.missingBlock("each"), at: here) }
            for element in elements where statementsRun <= Self.maximumStatementsRun {
                var inner = scope
                if let parameter = block.parameters.first { inner[parameter] = element.value }
                execute(block.body, scope: inner)
            }
            return .nilValue
        default:
            throw ConfigurationError(
                .unsupportedConstruct(
                    "method \"\(call.name)\" on \(receiver.value.display)",
                    hint: "values support no methods except defined_milters.each"),
                at: here)
        }
    }
}
