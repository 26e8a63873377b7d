/// One pattern of a `regexp:` or `pcre:` table, compiled once at load.
///
/// Equality and hashing use the text as written (type, source, flags): the compiled form
/// follows from it.
public struct TableRegex: Hashable, Sendable, CustomStringConvertible {
    /// The pattern between the delimiters, as written.
    public let source: String
    /// The delimiter.
    public let delimiter: Character
    /// The flags as written.
    public let flags: String
    /// The table type (regexp or pcre), which decides what the flags and the syntax mean.
    public let type: PostfixTableType
    private let compiled: CompiledRegex

    /// Longer subjects are never matched (they cannot come from an MTA's SMTP line, and a
    /// backtracking engine's time grows with them).
    public static let maximumSubjectLength = 4096

    /// Compiles `source` with `flags` as `type` reads them.
    init(source: String, delimiter: Character, flags: String, type: PostfixTableType) throws(PostfixTableProblem) {
        var ignoreCase = true
        var multiline = false
        var dotAll = false
        var extended = false
        var anchored = false
        for flag in flags {
            switch (flag, type.format) {
            case ("i", _): ignoreCase.toggle()
            case ("m", _): multiline.toggle()
            case ("s", .pcre): dotAll.toggle()
            case ("x", .pcre): extended.toggle()
            case ("A", .pcre): anchored = true
            default: throw .unsupportedFlag(flag, type: type)
            }
        }
        var body = type.format == .regexp ? Self.translatePOSIX(source) : source
        if PatternShape.hasNestedUnboundedRepetition(body) { throw .catastrophicRegex(source) }
        if anchored { body = "\\A(?:" + body + ")" }
        var options = ""
        if ignoreCase { options += "i" }
        if multiline { options += "m" }
        if dotAll { options += "s" }
        if extended { options += "x" }
        let pattern = (options.isEmpty ? "" : "(?\(options))") + body
        let regex: Regex<AnyRegexOutput>
        do {
            regex = try CompiledRegex.make(pattern)
            // The first match lowers the program: from then on the value is only read.
            _ = try regex.firstMatch(in: "")
        } catch {
            throw .invalidRegex(source, reason: "\(error)")
        }
        self.source = source
        self.delimiter = delimiter
        self.flags = flags
        self.type = type
        self.compiled = CompiledRegex(regex: regex)
    }

    /// Whether the pattern matches somewhere in `subject` (as `regexec`/`pcre_exec` search).
    public func matches(_ subject: String) -> Bool {
        guard subject.utf8.count <= Self.maximumSubjectLength else { return false }
        return (try? compiled.regex.firstMatch(in: subject)) != nil
    }

    /// The captures of the first match (index 0 is the whole match), nil when none.
    func captures(_ subject: String) -> [String?]? {
        guard subject.utf8.count <= Self.maximumSubjectLength,
            let match = try? compiled.regex.firstMatch(in: subject)
        else { return nil }
        return (0..<match.count).map { match[$0].substring.map(String.init) }
    }

    /// `/source/flags` with its delimiter.
    public var description: String { "\(delimiter)\(source)\(delimiter)\(flags)" }

    public static func == (lhs: TableRegex, rhs: TableRegex) -> Bool {
        lhs.source == rhs.source && lhs.flags == rhs.flags && lhs.type == rhs.type && lhs.delimiter == rhs.delimiter
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(source)
        hasher.combine(flags)
        hasher.combine(type)
    }

    /// POSIX extended syntax in Swift's: inside a bracket expression a backslash is literal and
    /// a leading `]` is a member; `\<` and `\>` (GNU word boundaries) become `\b`.
    static func translatePOSIX(_ source: String) -> String {
        var output = ""
        var characters = Array(source)[...]
        while let character = characters.popFirst() {
            switch character {
            case "\\":
                guard let next = characters.popFirst() else {
                    output += "\\\\"
                    break
                }
                output += next == "<" || next == ">" ? "\\b" : "\\" + String(next)
            case "[":
                output += "["
                if characters.first == "^" { output += String(characters.removeFirst()) }
                if characters.first == "]" {
                    characters.removeFirst()
                    output += "\\]"
                }
                while let member = characters.popFirst() {
                    if member == "]" {
                        output += "]"
                        break
                    }
                    if member == "[", let kind = characters.first, kind == ":" || kind == "." || kind == "=" {
                        // [:alpha:] and friends are copied whole.
                        output += "["
                        while let inner = characters.popFirst() {
                            output.append(inner)
                            if inner == "]" { break }
                        }
                        continue
                    }
                    output += member == "\\" ? "\\\\" : String(member)
                }
            default:
                output.append(character)
            }
        }
        return output
    }
}

/// The compiled regex, shared read-only between threads. `Regex` is not declared `Sendable`;
/// its program is lowered once at load (`TableRegex.init` matches once) and only read after,
/// which the standard library does with atomic initialisation.
struct CompiledRegex: @unchecked Sendable {
    let regex: Regex<AnyRegexOutput>

    /// `pattern` compiled with the semantics of POSIX, PCRE and Ruby engines: `\b` between
    /// word and non-word characters (not Unicode word segmentation, which keeps
    /// `dsl.example` one word) and `.` matching one Unicode scalar (not a grapheme cluster).
    static func make(_ pattern: String) throws -> Regex<AnyRegexOutput> {
        try Regex(pattern).wordBoundaryKind(.simple).matchingSemantics(.unicodeScalar)
    }
}

/// A cheap look at a pattern's shape, to refuse patterns that backtrack exponentially.
public enum PatternShape {
    /// Whether a group that is repeated without bound (`*`, `+`, `{n,}`) ends with an element
    /// that is itself repeated without bound: `(a+)+`, `(\w*)*`, `(x|y+)+`. Such patterns take
    /// exponential time on a near-miss. Other ambiguous shapes are not detected.
    public static func hasNestedUnboundedRepetition(_ pattern: String) -> Bool {
        let characters = Array(pattern)
        // Per open group: whether its last element (in any branch) repeats without bound.
        var groups: [Bool] = []
        var lastRepeats = false
        var branchRepeats = false
        var index = 0
        func unboundedQuantifier(at position: Int) -> (Bool, Int) {
            guard position < characters.count else { return (false, position) }
            switch characters[position] {
            case "*", "+":
                return (true, position + 1)
            case "?":
                return (false, position + 1)
            case "{":
                guard let close = characters[position...].firstIndex(of: "}") else { return (false, position) }
                let body = String(characters[(position + 1)..<close])
                return (body.hasSuffix(","), close + 1)
            default:
                return (false, position)
            }
        }
        while index < characters.count {
            let character = characters[index]
            switch character {
            case "\\":
                index += 2
                let (unbounded, next) = unboundedQuantifier(at: index)
                lastRepeats = unbounded
                index = next
                continue
            case "[":
                var position = index + 1
                if position < characters.count, characters[position] == "^" { position += 1 }
                if position < characters.count, characters[position] == "]" { position += 1 }
                while position < characters.count, characters[position] != "]" {
                    position += characters[position] == "\\" ? 2 : 1
                }
                index = position + 1
                let (unbounded, next) = unboundedQuantifier(at: index)
                lastRepeats = unbounded
                index = next
                continue
            case "(":
                groups.append(branchRepeats)
                branchRepeats = false
                lastRepeats = false
                index += 1
                if index < characters.count, characters[index] == "?" {
                    while index < characters.count, characters[index] != ":" && characters[index] != ")" {
                        index += 1
                    }
                    if index < characters.count, characters[index] == ":" { index += 1 }
                }
                continue
            case "|":
                branchRepeats = branchRepeats || lastRepeats
                lastRepeats = false
                index += 1
                continue
            case ")":
                let innerRepeats = branchRepeats || lastRepeats
                branchRepeats = groups.popLast() ?? false
                index += 1
                let (unbounded, next) = unboundedQuantifier(at: index)
                if unbounded && innerRepeats { return true }
                lastRepeats = unbounded
                index = next
                continue
            default:
                index += 1
                let (unbounded, next) = unboundedQuantifier(at: index)
                lastRepeats = unbounded
                index = next
            }
        }
        return false
    }
}
