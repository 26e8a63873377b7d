import MilterSupport

/// A value computed while a configuration file runs.
indirect enum EvaluatedValue: Hashable, Sendable {
    /// A string.
    case string(String)
    /// An integer.
    case integer(Int)
    /// A float.
    case float(Double)
    /// `true` / `false`.
    case bool(Bool)
    /// `nil`.
    case nilValue
    /// A regex.
    case regex(RubyRegex)
    /// A symbol.
    case symbol(String)
    /// An array, each element with where it was written.
    case array([LocatedValue])
    /// Trailing `name: value` options.
    case hash([String: LocatedValue])
    /// A configuration object (a group, a milter, a condition).
    case object(ConfigurationObject)
    /// A Postfix lookup table named by a `"TYPE:PATH"` string argument of a list helper
    /// (`s25r.add_whitelist("regexp:/path")`), loaded.
    case table(PostfixTable)

    /// How the value reads in a type-mismatch message.
    var display: String {
        switch self {
        case .string(let text): return "a string (\(RubyLiteral.inspect(text)))"
        case .integer(let value): return "an integer (\(value))"
        case .float(let value): return "a float (\(RubyLiteral.float(value)))"
        case .bool(let value): return "\(value)"
        case .nilValue: return "nil"
        case .regex(let regex): return "a regular expression (\(regex))"
        case .symbol(let name): return "a symbol (:\(name))"
        case .array: return "an array"
        case .hash: return "options"
        case .object(let object): return object.display
        case .table(let table): return "the table \(RubyLiteral.inspect(table.reference.description))"
        }
    }
}

/// A value and where it was written, with the provenance comment above it.
struct LocatedValue: Hashable, Sendable {
    /// The value.
    var value: EvaluatedValue
    /// Where it was written (file as seen inside the root, line, column).
    var location: SourceLocation
    /// The provenance comment above it.
    var annotation: Provenance?
}

/// The objects statements can call methods on and assign keys of.
enum ConfigurationObject: Hashable, Sendable {
    /// A group of keys (`manager`, `security`, ...) or a condition helper (`s25r`, ...).
    case group(ConfigurationGroup)
    /// The milter of a `define_milter` block.
    case milter(String)
    /// The condition of a `define_applicable_condition` block.
    case condition(String)

    /// How the object reads in messages.
    var display: String {
        switch self {
        case .group(let group): return "the \(group.rawValue) group"
        case .milter(let name): return "the milter \(RubyLiteral.inspect(name))"
        case .condition(let name): return "the condition \(RubyLiteral.inspect(name))"
        }
    }

    /// The prefix of keys in messages (`milter.connection_spec`).
    var keyPrefix: String {
        switch self {
        case .group(let group): return group.rawValue
        case .milter: return "milter"
        case .condition: return "condition"
        }
    }
}

/// The top-level names that stand for groups of keys and condition helpers.
enum ConfigurationGroup: String, Hashable, Sendable, CaseIterable {
    /// `package.*`.
    case package
    /// `security.*`.
    case security
    /// `log.*`.
    case log
    /// `manager.*`.
    case manager
    /// `controller.*`.
    case controller
    /// `database.*`.
    case database
    /// `s25r.*`.
    case s25r
    /// `remote_network.*`.
    case remoteNetwork = "remote_network"
    /// `trust.*`.
    case trust
    /// `stress.*`.
    case stress
    /// `dnsbl.*`.
    case dnsbl
}
