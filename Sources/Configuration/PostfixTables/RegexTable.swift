/// A Postfix `regexp_table(5)` or `pcre_table(5)`: `[!]/pattern/flags result` lines and
/// `if [!]/pattern/flags ... endif` blocks, tried in order. Patterns are case-insensitive
/// unless the `i` flag toggles that; results may use the captures (`$1`, `${1}`, `$(1)`,
/// `$$` for a dollar).
public struct RegexTable: Hashable, Sendable {
    var program: TableProgram<TableRegex>

    /// The most rules a table may hold: each is compiled at load.
    public static let maximumRules = 5000

    /// The table read from `text` as `type` (regexp or pcre).
    static func parse(_ text: String, file: String, type: PostfixTableType) -> (
        table: RegexTable, errors: [ConfigurationError]
    ) {
        var builder = TableProgramBuilder<TableRegex>()
        var errors = TableErrors(file: file)
        for line in LogicalLine.split(text) {
            if line.text == "endif" || line.text.hasPrefix("endif ") || line.text.hasPrefix("endif\t") {
                if !builder.closeBlock() { errors.add(.endifWithoutIf, line: line.line) }
                continue
            }
            guard builder.program.count < maximumRules else {
                errors.add(.tooManyRules(limit: maximumRules), line: line.line)
                break
            }
            let isBlock = line.text.hasPrefix("if ") || line.text.hasPrefix("if\t")
            let body = isBlock ? String(line.text.dropFirst(2).drop { $0 == " " || $0 == "\t" }) : line.text
            do throws(PostfixTableProblem) {
                let (pattern, negated, rest) = try Self.pattern(body, type: type)
                if isBlock {
                    builder.openBlock(pattern, negated: negated, line: line.line)
                    if !rest.isEmpty { throw .textAfterIf(rest) }
                } else {
                    guard !rest.isEmpty else { throw .missingResult(body) }
                    builder.match(pattern, negated: negated, result: rest, line: line.line)
                }
            } catch {
                errors.add(error, line: line.line)
            }
        }
        for line in builder.finish() { errors.add(.ifWithoutEndif, line: line) }
        return (RegexTable(program: builder.program), errors.all)
    }

    /// `[!]DpatternDflags rest`: the compiled pattern, whether negated, and the rest after blanks.
    static func pattern(_ text: String, type: PostfixTableType) throws(PostfixTableProblem) -> (
        TableRegex, Bool, String
    ) {
        var characters = Array(text)[...]
        let negated = characters.first == "!"
        if negated { characters = characters.dropFirst() }
        guard let delimiter = characters.popFirst(), !delimiter.isLetter, !delimiter.isNumber,
            !delimiter.isWhitespace, delimiter != "\\"
        else { throw .invalidPatternSyntax(text) }
        var source = ""
        var closed = false
        while let character = characters.popFirst() {
            if character == delimiter {
                closed = true
                break
            }
            if character == "\\", let next = characters.first {
                characters.removeFirst()
                // An escaped delimiter stands for itself unless it means something to the engine.
                if next != delimiter || "^$.|?*+()[]{}".contains(next) { source.append("\\") }
                source.append(next)
                continue
            }
            source.append(character)
        }
        guard closed else { throw .invalidPatternSyntax(text) }
        var flags = ""
        while let character = characters.first, !character.isWhitespace {
            flags.append(character)
            characters.removeFirst()
        }
        let rest = String(characters.drop { $0.isWhitespace })
        let regex = try TableRegex(source: source, delimiter: delimiter, flags: flags, type: type)
        return (regex, negated, rest)
    }

    /// The result for `subject` (captures substituted), nil when no rule applies.
    public func lookup(_ subject: String) -> String? {
        guard let (pattern, result) = program.firstMatch({ $0.matches(subject) }) else { return nil }
        guard let pattern, result.contains("$") else { return result }
        return Self.substitute(result, captures: pattern.captures(subject) ?? [])
    }

    /// `$1`, `${1}`, `$(1)` replaced by the captures (missing ones by nothing), `$$` by `$`.
    static func substitute(_ template: String, captures: [String?]) -> String {
        var output = ""
        var characters = Array(template)[...]
        while let character = characters.popFirst() {
            guard character == "$", let next = characters.first else {
                output.append(character)
                continue
            }
            if next == "$" {
                characters.removeFirst()
                output.append("$")
                continue
            }
            var closing: Character?
            if next == "{" { closing = "}" }
            if next == "(" { closing = ")" }
            var lookahead = characters
            if closing != nil { lookahead.removeFirst() }
            var digits = ""
            while let digit = lookahead.first, digit.isASCII, digit.isNumber {
                digits.append(digit)
                lookahead.removeFirst()
            }
            if let closing {
                guard lookahead.first == closing else {
                    output.append(character)
                    continue
                }
                lookahead.removeFirst()
            }
            guard let number = Int(digits) else {
                output.append(character)
                continue
            }
            characters = lookahead
            if number < captures.count, let capture = captures[number] { output += capture }
        }
        return output
    }

    /// How many rules it holds.
    public var ruleCount: Int { program.count }
}
