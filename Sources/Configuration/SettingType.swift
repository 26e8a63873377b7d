import MilterProtocol
import MilterSupport

/// The type of a configuration key's value: how it is read from the language (with its range
/// checked), how `--show-config` writes it back, what a type-mismatch message calls it and the
/// hint shown with one. Every key of the tables (`GroupKeyTable`, `MilterKeyTable`) names one.
public struct SettingType<Value: Hashable & Sendable>: Sendable {
    /// What the value must be, for messages (`"an integer or nil"`).
    public let expected: String
    /// The hint shown with a type mismatch (`"write the number without quotes"`).
    public let hint: String?
    /// Reads a value written in a file, checking its range.
    let read: @Sendable (LocatedValue, _ key: String) throws(ConfigurationErrorKind) -> Value
    /// Checks a value given another way (a command-line option).
    public let check: @Sendable (Value, _ key: String) throws(ConfigurationErrorKind) -> Void
    /// The value in the configuration language.
    public let render: @Sendable (Value) -> String

    /// A type from its parts; `check` defaults to accepting everything.
    init(
        expected: String, hint: String?,
        read: @escaping @Sendable (LocatedValue, String) throws(ConfigurationErrorKind) -> Value,
        check: @escaping @Sendable (Value, String) throws(ConfigurationErrorKind) -> Void = { _, _ in },
        render: @escaping @Sendable (Value) -> String
    ) {
        self.expected = expected
        self.hint = hint
        self.read = read
        self.check = check
        self.render = render
    }
}

/// The hints of the common types.
enum TypeHints {
    static let number = "write the number without quotes"
    static let bool = "write true or false without quotes"
    static let string = "put the value in double quotes"
    static let octal = "write an octal number without quotes, e.g. 0660"
}

extension SettingType where Value == Bool {
    /// `true` / `false`.
    static let bool = SettingType(
        expected: "true or false", hint: TypeHints.bool,
        read: { value, key throws(ConfigurationErrorKind) in
            try value.bool(for: key)
        }, render: { "\($0)" })

    /// `true` / `false`, also as the strings `"true"` / `"false"` (the original's
    /// `security.privilege_mode` accepts both).
    static let boolOrBoolString = SettingType(
        expected: "true or false", hint: TypeHints.bool,
        read: { value, key throws(ConfigurationErrorKind) in
            switch value.value {
            case .bool(let flag): return flag
            case .string("true"): return true
            case .string("false"): return false
            case .string(let text):
                throw .invalidValue(key: key, value: RubyLiteral.inspect(text), allowed: "true or false")
            default: throw value.mismatch(key, "true or false")
            }
        }, render: { "\($0)" })
}

extension SettingType where Value == String {
    /// A string.
    static let string = SettingType(
        expected: "a string", hint: TypeHints.string,
        read: { value, key throws(ConfigurationErrorKind) in
            try value.string(for: key)
        }, render: { RubyLiteral.inspect($0) })
}

extension SettingType where Value == String {
    /// An absolute directory path without control characters (`manager.body_spool_directory`):
    /// an empty or relative one would put files wherever the daemon's working directory is.
    static let absoluteDirectory = SettingType(
        expected: "an absolute path", hint: TypeHints.string,
        read: { value, key throws(ConfigurationErrorKind) in
            let path = try value.string(for: key)
            try checkAbsolute(path, key)
            return path
        },
        check: { path, key throws(ConfigurationErrorKind) in try checkAbsolute(path, key) },
        render: { RubyLiteral.inspect($0) })

    static func checkAbsolute(_ path: String, _ key: String) throws(ConfigurationErrorKind) {
        guard path.hasPrefix("/"), !path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        else {
            throw .invalidValue(
                key: key, value: RubyLiteral.inspect(path), allowed: "an absolute path without control characters")
        }
    }
}

extension SettingType where Value == String? {
    /// A string or nil.
    static let optionalString = SettingType(
        expected: "a string or nil", hint: TypeHints.string,
        read: { value, key throws(ConfigurationErrorKind) in
            try value.optionalString(for: key)
        }, render: { RubyLiteral.inspect($0) })
}

extension SettingType where Value == Int {
    /// An integer in `range` (nil reads as `nilValue` when given, as the original's "nil → 0").
    static func integer(_ range: ClosedRange<Int>, nilValue: Int? = nil, nilPrints: Bool = false) -> SettingType {
        SettingType(
            expected: nilValue == nil ? "an integer" : "an integer or nil", hint: TypeHints.number,
            read: { value, key throws(ConfigurationErrorKind) in
                if let nilValue, case .nilValue = value.value { return nilValue }
                guard case .integer(let number) = value.value else {
                    throw value.mismatch(key, nilValue == nil ? "an integer" : "an integer or nil")
                }
                try Self.checkRange(number, range, key)
                return number
            },
            check: { number, key throws(ConfigurationErrorKind) in try Self.checkRange(number, range, key) },
            render: { number in nilPrints && number == nilValue ? "nil" : "\(number)" })
    }

    /// A unix socket mode, written in octal (`0660`; zero prints `0`, as the original prints
    /// `manager.unix_socket_mode`).
    static let socketMode = socketMode(render: RubyLiteral.octal)

    /// A unix socket mode printed as `0` and the octal digits (zero prints `00`, as the
    /// original prints `controller.unix_socket_mode`).
    static let controllerSocketMode = socketMode(render: { "0" + String($0, radix: 8) })

    private static func socketMode(render: @escaping @Sendable (Int) -> String) -> SettingType {
        SettingType(
            expected: "an integer", hint: TypeHints.octal,
            read: { value, key throws(ConfigurationErrorKind) in
                try value.integer(for: key, in: NumericLimits.socketMode)
            },
            check: { number, key throws(ConfigurationErrorKind) in
                try Self.checkRange(number, NumericLimits.socketMode, key)
            }, render: render)
    }

    /// `manager.chunk_size`: 1 or more, larger than 65535 clamped to it as the original does.
    static let chunkSize = SettingType(
        expected: "an integer or nil", hint: TypeHints.number,
        read: { value, key throws(ConfigurationErrorKind) in
            min(try value.integer(for: key, nilValue: 65535, in: NumericLimits.chunkSize), 65535)
        }, render: { "\($0)" })

    static func checkRange(_ number: Int, _ range: ClosedRange<Int>, _ key: String) throws(ConfigurationErrorKind) {
        guard range.contains(number) else {
            let upper = range.upperBound == Int.max ? "" : "\(range.upperBound)"
            throw .invalidValue(key: key, value: "\(number)", allowed: "must be \(range.lowerBound)..\(upper)")
        }
    }
}

extension SettingType where Value == Int? {
    /// An integer in `range`, or nil.
    static func optionalInteger(_ range: ClosedRange<Int>) -> SettingType {
        SettingType(
            expected: "an integer or nil", hint: TypeHints.number,
            read: { value, key throws(ConfigurationErrorKind) in
                if case .nilValue = value.value { return nil }
                return try value.integer(for: key, in: range)
            }, render: { $0.map { "\($0)" } ?? "nil" })
    }
}

extension SettingType where Value == Double {
    /// A number of seconds in `range` (integers are read as seconds too).
    static func seconds(_ range: ClosedRange<Double>) -> SettingType {
        SettingType(
            expected: "a number of seconds", hint: TypeHints.number,
            read: { value, key throws(ConfigurationErrorKind) in
                let seconds = try value.number(for: key)
                try Self.checkRange(seconds, range, key)
                return seconds
            },
            check: { seconds, key throws(ConfigurationErrorKind) in try Self.checkRange(seconds, range, key) },
            render: RubyLiteral.float)
    }

    static func checkRange(_ seconds: Double, _ range: ClosedRange<Double>, _ key: String)
        throws(ConfigurationErrorKind)
    {
        guard range.contains(seconds) else {
            throw .invalidValue(
                key: key, value: RubyLiteral.float(seconds),
                allowed: "must be \(RubyLiteral.float(range.lowerBound))..\(RubyLiteral.float(range.upperBound)) "
                    + "seconds")
        }
    }
}

extension SettingType where Value == FallbackStatus {
    /// A status nick (`"accept"`, `"temporary-failure"`, ...), as a string or a symbol.
    static let status = SettingType(
        expected: "a status string", hint: TypeHints.string,
        read: { value, key throws(ConfigurationErrorKind) in try value.status(for: key) },
        render: { RubyLiteral.inspect($0.nick) })
}

extension SettingType where Value == WrittenConnectionSpec {
    /// A connection spec (`unix:/path`, `inet:PORT@HOST`, ...), kept as written.
    static let connectionSpec = SettingType(
        expected: "a connection spec string", hint: TypeHints.string,
        read: { value, key throws(ConfigurationErrorKind) in try value.connectionSpec(for: key) },
        render: { RubyLiteral.inspect($0.text) })
}

extension SettingType where Value == WrittenConnectionSpec? {
    /// A connection spec or nil.
    static let optionalConnectionSpec = SettingType(
        expected: "a connection spec string or nil", hint: TypeHints.string,
        read: { value, key throws(ConfigurationErrorKind) in try value.optionalConnectionSpec(for: key) },
        render: { $0.map { RubyLiteral.inspect($0.text) } ?? "nil" })
}

extension SettingType where Value: RawRepresentable & CaseIterable, Value.RawValue == String {
    /// One of the cases' raw values, as a string (case-insensitive).
    static func choice() -> SettingType {
        SettingType(
            expected: "a string", hint: TypeHints.string,
            read: { value, key throws(ConfigurationErrorKind) in try value.oneOf(Value.self, for: key) },
            render: { RubyLiteral.inspect($0.rawValue) })
    }
}
