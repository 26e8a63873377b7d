import MilterProtocol

/// What is wrong in a configuration statement; each case has an exact message and, where it
/// helps, a hint.
public enum ConfigurationErrorKind: Error, Hashable, Sendable {
    /// `group.key` that does not exist (with the closest existing key, if any).
    case unknownKey(String, suggestion: String?)
    /// A call that does not exist (`s25r.add_whitlist`, `laod`).
    case unknownMethod(String, suggestion: String?)
    /// A bare name that is neither a group nor a block variable.
    case unknownName(String, suggestion: String?)
    /// A value of the wrong type for `key`.
    case typeMismatch(key: String, expected: String, found: String)
    /// A value of the right type that is not allowed (`"sometimes"` for a status).
    case invalidValue(key: String, value: String, allowed: String)
    /// A connection spec that does not parse.
    case invalidConnectionSpec(key: String, ConnectionSpecError)
    /// An applicable condition name that is not defined.
    case unknownCondition(String, available: [String])
    /// A regular expression Swift's engine does not accept.
    case invalidRegex(String, reason: String)
    /// Ruby that the configuration parser does not run (`if`, `def`, stoppers, ...).
    case unsupportedConstruct(String, hint: String)
    /// A token the grammar does not allow here.
    case unexpectedToken(expected: String, found: String)
    /// A string with no closing quote on its line.
    case unterminatedString
    /// A regular expression with no closing `/` on its line.
    case unterminatedRegex
    /// A `do` or `{` block without its `end` or `}`.
    case unterminatedBlock(opened: Int)
    /// A call with the wrong number of arguments.
    case wrongArgumentCount(method: String, expected: String, found: Int)
    /// A call that needs a block (`define_milter("x") do |milter| ... end`).
    case missingBlock(String)
    /// Assignment to a key that can only be read (`milter.name`).
    case readOnlyKey(String)
    /// `load` of a name that matches no file.
    case fileNotFound(String)
    /// A file that exists but cannot be read.
    case unreadableFile(String, reason: String)
    /// A file that loads itself, directly or through others.
    case loadCycle(String)
    /// A configuration directory the administrator named (`--config-dir`) that does not exist.
    case configDirectoryNotFound(String)
    /// Blocks, arrays or parentheses nested deeper than the parser allows.
    case nestingTooDeep(limit: Int)
    /// An enabled child milter whose connection spec is the manager's own socket.
    case milterIsTheManager(milter: String, spec: String)
    /// More statements would run than the evaluator allows (nested `defined_milters.each`
    /// multiply): evaluation stops here.
    case evaluationTooLong(limit: Int)
    /// A bad line in a Postfix lookup table (the error's location is the table's file and line).
    case invalidTable(PostfixTableProblem)
    /// A condition rule that cannot work as written (`recipient` at `connect`, a scope the
    /// stage does not have, two subjects).
    case invalidRule(String, hint: String)
    /// A Lua condition script that does not compile (the location is the script's line).
    case invalidScript(String)

    /// The one-line message.
    public var message: String {
        switch self {
        case .unknownKey(let key, _): return "unknown key \"\(key)\""
        case .unknownMethod(let name, _): return "unknown method \"\(name)\""
        case .unknownName(let name, _): return "unknown name \"\(name)\""
        case .typeMismatch(let key, let expected, let found): return "\(key) must be \(expected), not \(found)"
        case .invalidValue(let key, let value, let allowed): return "invalid value for \(key): \(value) (\(allowed))"
        case .invalidConnectionSpec(let key, let error): return "invalid connection spec for \(key): \(error)"
        case .unknownCondition(let name, _): return "unknown applicable condition \"\(name)\""
        case .invalidRegex(let source, let reason): return "invalid regular expression \(source): \(reason)"
        case .unsupportedConstruct(let construct, _): return "unsupported Ruby construct: \(construct)"
        case .unexpectedToken(let expected, let found): return "expected \(expected), found \(found)"
        case .unterminatedString: return "unterminated string"
        case .unterminatedRegex: return "unterminated regular expression"
        case .unterminatedBlock(let line): return "block opened on line \(line) has no end"
        case .wrongArgumentCount(let method, let expected, let found):
            return "\(method) takes \(expected), given \(found)"
        case .missingBlock(let method): return "\(method) needs a block"
        case .readOnlyKey(let key): return "\(key) cannot be assigned"
        case .fileNotFound(let name): return "no file matches \"\(name)\" in the load path"
        case .unreadableFile(let path, let reason): return "cannot read \(path): \(reason)"
        case .loadCycle(let path): return "\(path) is already being loaded (load cycle)"
        case .configDirectoryNotFound(let path): return "configuration directory \(path) does not exist"
        case .nestingTooDeep(let limit): return "nested more than \(limit) levels deep"
        case .milterIsTheManager(let milter, let spec):
            return "milter \"\(milter)\" has the manager's own socket \(spec): the manager would connect to itself"
        case .evaluationTooLong(let limit):
            return "more than \(limit) statements would run; evaluation stopped here"
        case .invalidTable(let problem): return problem.message
        case .invalidRule(let message, _): return message
        case .invalidScript(let message): return "Lua script: \(message)"
        }
    }

    /// A suggestion for the fix.
    public var hint: String? {
        switch self {
        case .unknownKey(_, let suggestion?), .unknownMethod(_, let suggestion?), .unknownName(_, let suggestion?):
            return "did you mean \"\(suggestion)\"?"
        case .unknownKey, .unknownMethod, .unknownName:
            return "see `milter-manager --show-config` for every key"
        case .typeMismatch(let key, let expected, _):
            return ConfigurationKeyHints.typeHint(key: key, expected: expected)
        case .invalidValue, .invalidRegex, .fileNotFound, .unreadableFile, .unterminatedBlock:
            return nil
        case .invalidConnectionSpec:
            return "write unix:/path, inet:PORT@HOST, inet:PORT@[ADDRESS] or inet6:PORT@[ADDRESS]"
        case .unknownCondition(_, let available):
            return "defined conditions: " + available.map { "\"\($0)\"" }.joined(separator: ", ")
        case .unsupportedConstruct(_, let hint):
            return hint
        case .unexpectedToken:
            return nil
        case .unterminatedString:
            return "close the string with the same quote on the same line"
        case .unterminatedRegex:
            return "close the regular expression with / on the same line"
        case .wrongArgumentCount:
            return nil
        case .missingBlock(let method):
            return "write \(method)(\"NAME\") do |x| ... end"
        case .readOnlyKey:
            return nil
        case .loadCycle:
            return "remove the load call that loads this file again"
        case .configDirectoryNotFound:
            return "create it, or name the directory that holds milter-manager.conf"
        case .nestingTooDeep:
            return "milter-manager.conf needs only a few levels: a block, a list, a call"
        case .milterIsTheManager:
            return "give the milter its own socket, or change manager.connection_spec"
        case .evaluationTooLong:
            return "do not nest defined_milters.each: one loop over the milters is enough"
        case .invalidTable(let problem):
            return problem.hint
        case .invalidRule(_, let hint):
            return hint
        case .invalidScript:
            return "see docs/conditions.md for the functions a condition script defines"
        }
    }
}

/// Hints for type mismatches: the key's own type hint from its table, else one by the
/// expected type (the condition helpers' keys).
enum ConfigurationKeyHints {
    /// A hint for `key` given the expected type text.
    static func typeHint(key: String, expected: String) -> String? {
        if let entry = GroupKeyTable.entry(named: key) { return entry.typeHint }
        if expected.hasPrefix("true or false") { return TypeHints.bool }
        if expected.hasPrefix("a number") || expected.hasPrefix("an integer") { return TypeHints.number }
        if expected.hasPrefix("a string") { return TypeHints.string }
        return nil
    }
}
