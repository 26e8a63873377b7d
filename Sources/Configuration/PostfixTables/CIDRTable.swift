/// A Postfix `cidr_table(5)`: `[!]network[/prefix] result` lines and `if [!]network ... endif`
/// blocks, IPv4 and IPv6, tried in order; the first rule that applies gives the result.
public struct CIDRTable: Hashable, Sendable {
    var program: TableProgram<IPAddressRange>

    /// The table read from `text` (the file `file`, for error locations); errors for every
    /// bad line (the table is unusable when there is one).
    static func parse(_ text: String, file: String) -> (table: CIDRTable, errors: [ConfigurationError]) {
        var builder = TableProgramBuilder<IPAddressRange>()
        var errors = TableErrors(file: file)
        for line in LogicalLine.split(text) {
            let (first, rest) = line.keyAndRest
            if first == "endif" {
                if !builder.closeBlock() { errors.add(.endifWithoutIf, line: line.line) }
                continue
            }
            if first == "if" {
                let (patternText, extra) = LogicalLine(text: rest, line: line.line).keyAndRest
                if !extra.isEmpty { errors.add(.textAfterIf(extra), line: line.line) }
                switch network(patternText) {
                case .success(let (range, negated)): builder.openBlock(range, negated: negated, line: line.line)
                case .failure(let problem): errors.add(problem, line: line.line)
                }
                continue
            }
            guard !rest.isEmpty else {
                errors.add(.missingResult(first), line: line.line)
                continue
            }
            switch network(first) {
            case .success(let (range, negated)): builder.match(range, negated: negated, result: rest, line: line.line)
            case .failure(let problem): errors.add(problem, line: line.line)
            }
        }
        for line in builder.finish() { errors.add(.ifWithoutEndif, line: line) }
        return (CIDRTable(program: builder.program), errors.all)
    }

    /// `[!]ADDRESS[/PREFIX]`, brackets allowed around the address; the bits after the prefix
    /// must be zero (Postfix skips such a rule with a warning: here it is an error).
    static func network(_ text: String) -> Result<(IPAddressRange, Bool), PostfixTableProblem> {
        var body = Substring(text)
        let negated = body.first == "!"
        if negated { body = body.dropFirst() }
        var parts = body.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        if let first = parts.first, first.hasPrefix("["), first.hasSuffix("]"), first.count > 2 {
            parts[0] = first.dropFirst().dropLast()
        }
        let normalized = parts.joined(separator: "/")
        guard let range = IPAddressRange(parsing: normalized) else { return .failure(.invalidNetwork(text)) }
        let masked = range.masked
        if masked != range.address {
            let suggestion = IPAddressRange.text(of: masked) + "/\(range.prefixLength)"
            return .failure(.hostBitsSet(text, suggestion: suggestion))
        }
        return .success((range, negated))
    }

    /// The result for `address` (an IPv4 or IPv6 address as the MTA gives it, without
    /// brackets, as postmap takes it); nil when no rule applies or the text is not an address.
    public func lookup(address: String) -> String? {
        guard let bytes = IPAddressRange.parseAddress(address) else { return nil }
        return lookup(bytes: bytes)
    }

    /// The result for an address given as 4 or 16 bytes. Rules of the other address family
    /// are skipped, negated ones too (as Postfix does).
    public func lookup(bytes: [UInt8]) -> String? {
        program.firstMatch { range in range.address.count == bytes.count ? range.contains(bytes) : nil }?.result
    }

    /// How many rules it holds (an `if` counts as one).
    public var ruleCount: Int { program.count }
}
