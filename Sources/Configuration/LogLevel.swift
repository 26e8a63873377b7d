/// `log.level`: either the default set or an explicit set of level flags.
///
/// Written as level names joined with `|` (`"error|warning|statistics"`); `all`, `none` and
/// `default` are accepted; `""` and `"default"` mean the default set. On the command line a
/// leading `+` or `-` adds to or removes from the current set.
public struct LogLevel: Hashable, Sendable, CustomStringConvertible {
    /// One level flag, in the original's flag order.
    public enum Flag: String, Hashable, Sendable, CaseIterable, Comparable {
        /// Critical errors.
        case critical
        /// Errors.
        case error
        /// Warnings.
        case warning
        /// Notable messages.
        case message
        /// Informational messages.
        case info
        /// Debug output.
        case debug
        /// Protocol traces.
        case trace
        /// `[statistics]` lines.
        case statistics
        /// Profiling output.
        case profile

        /// Flag order.
        public static func < (lhs: Flag, rhs: Flag) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// The flags of the default set: critical, error, warning, message, statistics.
    public static let defaultFlags: Set<Flag> = [.critical, .error, .warning, .message, .statistics]

    /// The explicit flags, or nil for the default set.
    public var explicitFlags: Set<Flag>?

    /// The default set (`"default"`).
    public static let `default` = LogLevel(explicitFlags: nil)
    /// Every level (`--verbose`, `"all"`).
    public static let all = LogLevel(explicitFlags: Set(Flag.allCases))
    /// Nothing (`--quiet`, `"none"`).
    public static let none = LogLevel(explicitFlags: [])

    /// A level set.
    public init(explicitFlags: Set<Flag>?) {
        self.explicitFlags = explicitFlags
    }

    /// The flags in effect.
    public var flags: Set<Flag> { explicitFlags ?? Self.defaultFlags }

    /// Why a level text is not valid.
    public enum ParseError: Error, Hashable, Sendable {
        /// A name that is not a level.
        case unknownName(String)
    }

    /// Reads `names` (`|`-separated). With `relativeTo`, a leading `+`/`-` adds/removes.
    public init(parsing text: String, relativeTo current: LogLevel? = nil) throws(ParseError) {
        var body = Substring(text).trimmingCharacters(in: " \t")
        var mode: Character?
        if current != nil, let first = body.first, first == "+" || first == "-" {
            mode = first
            body = body.dropFirst()
        }
        var flags: Set<Flag> = []
        var sawDefault = body.isEmpty
        for part in body.split(separator: "|", omittingEmptySubsequences: false) {
            let name = part.trimmingCharacters(in: " \t").lowercased()
            switch name {
            case "", "default": sawDefault = true
            case "all": flags.formUnion(Flag.allCases)
            case "none": break
            default:
                guard let flag = Flag(rawValue: name) else { throw .unknownName(String(name)) }
                flags.insert(flag)
            }
        }
        if sawDefault && flags.isEmpty && mode == nil {
            self = .default
            return
        }
        if sawDefault { flags.formUnion(Self.defaultFlags) }
        switch (mode, current) {
        case ("+", let current?): self.init(explicitFlags: current.flags.union(flags))
        case ("-", let current?): self.init(explicitFlags: current.flags.subtracting(flags))
        default: self.init(explicitFlags: flags)
        }
    }

    /// `"default"`, `"none"`, or the flag names joined with `|` in flag order.
    public var description: String {
        guard let explicitFlags else { return "default" }
        if explicitFlags.isEmpty { return "none" }
        return explicitFlags.sorted().map(\.rawValue).joined(separator: "|")
    }
}
