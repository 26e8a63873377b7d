/// The rules of a `cidr:`, `regexp:` or `pcre:` table as a flat list: `if ... endif` blocks
/// are jumps, so a lookup is one loop whatever the nesting (no recursion, no depth limit).
struct TableProgram<Pattern: Hashable & Sendable>: Hashable, Sendable {
    /// One rule.
    enum Operation: Hashable, Sendable {
        /// `[!]pattern result`: when the pattern matches (or, negated, does not), the result.
        case match(Pattern, negated: Bool, result: String, line: Int)
        /// `if [!]pattern`: when it does not hold, go on at `end` (the rule after its `endif`).
        case block(Pattern, negated: Bool, end: Int, line: Int)
    }

    /// The rules in order.
    var operations: [Operation] = []

    /// The first rule that applies to a subject, as `(pattern, result)` of a non-negated match
    /// (its captures may be substituted) or `(nil, result)` for a negated one; nil when none.
    /// `matches` answers nil for a pattern that cannot be compared with the subject at all (an
    /// IPv4 network and an IPv6 address): such a rule or block is skipped, negated or not.
    func firstMatch(_ matches: (Pattern) -> Bool?) -> (pattern: Pattern?, result: String)? {
        var index = 0
        while index < operations.count {
            switch operations[index] {
            case .match(let pattern, let negated, let result, _):
                if let matched = matches(pattern), matched != negated { return (negated ? nil : pattern, result) }
                index += 1
            case .block(let pattern, let negated, let end, _):
                if let matched = matches(pattern), matched != negated {
                    index += 1
                } else {
                    index = end
                }
            }
        }
        return nil
    }

    /// How many rules it holds.
    var count: Int { operations.count }
}

/// Builds a `TableProgram` line by line, pairing `if` with `endif`.
struct TableProgramBuilder<Pattern: Hashable & Sendable> {
    private(set) var program = TableProgram<Pattern>()
    private var open: [Int] = []

    /// Appends `[!]pattern result`.
    mutating func match(_ pattern: Pattern, negated: Bool, result: String, line: Int) {
        program.operations.append(.match(pattern, negated: negated, result: result, line: line))
    }

    /// Opens `if [!]pattern`.
    mutating func openBlock(_ pattern: Pattern, negated: Bool, line: Int) {
        open.append(program.operations.count)
        program.operations.append(.block(pattern, negated: negated, end: -1, line: line))
    }

    /// Closes the innermost block; false when none is open.
    mutating func closeBlock() -> Bool {
        guard let index = open.popLast(),
            case .block(let pattern, let negated, _, let line) = program.operations[index]
        else { return false }
        program.operations[index] = .block(pattern, negated: negated, end: program.operations.count, line: line)
        return true
    }

    /// The lines of the blocks left open (each is an error); they are closed at the end.
    mutating func finish() -> [Int] {
        var lines: [Int] = []
        while let index = open.last {
            if case .block(_, _, _, let line) = program.operations[index] { lines.append(line) }
            _ = closeBlock()
        }
        return lines.reversed()
    }
}
