import MilterSupport

/// Reading typed values for a key; a value of the wrong type throws `typeMismatch` naming
/// the key, the expected type and what was given.
extension LocatedValue {
    func bool(for key: String) throws(ConfigurationErrorKind) -> Bool {
        guard case .bool(let value) = value else { throw mismatch(key, "true or false") }
        return value
    }

    func string(for key: String) throws(ConfigurationErrorKind) -> String {
        guard case .string(let text) = value else { throw mismatch(key, "a string") }
        return text
    }

    func optionalString(for key: String) throws(ConfigurationErrorKind) -> String? {
        switch value {
        case .string(let text): return text
        case .nilValue: return nil
        default: throw mismatch(key, "a string or nil")
        }
    }

    func integer(for key: String, in range: ClosedRange<Int>? = nil) throws(ConfigurationErrorKind) -> Int {
        guard case .integer(let number) = value else { throw mismatch(key, "an integer") }
        if let range, !range.contains(number) {
            throw .invalidValue(
                key: key, value: "\(number)", allowed: "must be \(range.lowerBound)..\(range.upperBound)")
        }
        return number
    }

    /// An integer, or nil which reads as `nilValue` (the original's "nil → 0").
    func integer(for key: String, nilValue: Int, in range: ClosedRange<Int>) throws(ConfigurationErrorKind) -> Int {
        if case .nilValue = value { return nilValue }
        guard case .integer(let number) = value else { throw mismatch(key, "an integer or nil") }
        guard range.contains(number) else {
            let upper = range.upperBound == Int.max ? "" : "\(range.upperBound)"
            throw .invalidValue(key: key, value: "\(number)", allowed: "must be \(range.lowerBound)..\(upper)")
        }
        return number
    }

    func number(for key: String) throws(ConfigurationErrorKind) -> Double {
        switch value {
        case .integer(let number): return Double(number)
        case .float(let number): return number
        default: throw mismatch(key, "a number of seconds")
        }
    }

    func status(for key: String) throws(ConfigurationErrorKind) -> FallbackStatus {
        let text: String
        switch value {
        case .string(let string): text = string
        case .symbol(let name): text = name
        default: throw mismatch(key, "a status string")
        }
        guard let status = FallbackStatus(nick: text) else {
            throw .invalidValue(
                key: key, value: RubyLiteral.inspect(text),
                allowed: "one of " + FallbackStatus.allCases.map { "\"\($0.nick)\"" }.joined(separator: ", "))
        }
        return status
    }

    func connectionSpec(for key: String) throws(ConfigurationErrorKind) -> WrittenConnectionSpec {
        guard case .string(let text) = value else { throw mismatch(key, "a connection spec string") }
        do {
            return try WrittenConnectionSpec(parsing: text)
        } catch {
            throw .invalidConnectionSpec(key: key, error)
        }
    }

    func optionalConnectionSpec(for key: String) throws(ConfigurationErrorKind) -> WrittenConnectionSpec? {
        if case .nilValue = value { return nil }
        guard case .string = value else { throw mismatch(key, "a connection spec string or nil") }
        return try connectionSpec(for: key)
    }

    func oneOf<Choice: RawRepresentable & CaseIterable>(
        _ type: Choice.Type, for key: String
    ) throws(ConfigurationErrorKind) -> Choice where Choice.RawValue == String {
        guard case .string(let text) = value else { throw mismatch(key, "a string") }
        guard let choice = Choice(rawValue: text.lowercased()) else {
            throw .invalidValue(
                key: key, value: RubyLiteral.inspect(text),
                allowed: "one of " + Choice.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", "))
        }
        return choice
    }

    /// The elements of an array value (a single value counts as a one-element array when
    /// `allowSingle`).
    func elements(for key: String, allowSingle: Bool = false) throws(ConfigurationErrorKind) -> [LocatedValue] {
        if case .array(let elements) = value { return elements }
        if allowSingle { return [self] }
        throw mismatch(key, "an array")
    }

    func mismatch(_ key: String, _ expected: String) -> ConfigurationErrorKind {
        .typeMismatch(key: key, expected: expected, found: value.display)
    }
}
