/// Parses the Ruby subset of milter-manager.conf (detection.md 4.9) into statements.
///
/// Statements are calls (`load_default`, `define_milter("x") do |milter| ... end`,
/// `s25r.add_whitelist(/re/)`) and attribute assignments (`manager.connection_spec = "..."`,
/// `milter.applicable_conditions += ["S25R"]`). A statement that does not parse is reported
/// and skipped up to the end of its line (or the `end` of a block it opened), and parsing
/// goes on with the next one.
struct Parser {
    private let file: String
    private let tokens: [Token]
    private var position = 0
    private var depth = 0
    private(set) var errors: [ConfigurationError] = []

    /// How deeply expressions (lists, parentheses, calls with blocks) may nest: a real file
    /// needs four or five levels; the limit keeps hostile input from exhausting the stack.
    static let maximumDepth = 64

    /// A parser for `text` read from `file` (the path as seen inside the root).
    init(text: String, file: String) {
        self.file = file
        self.tokens = Lexer.tokenize(text)
    }

    /// The statements of the whole file and the errors met.
    static func parse(_ text: String, file: String) -> (statements: [Statement], errors: [ConfigurationError]) {
        var parser = Parser(text: text, file: file)
        let statements = parser.parseStatements(closing: nil, openedAt: nil)
        return (statements, parser.errors)
    }

    private var token: Token { tokens[position] }

    private mutating func advance() { if position < tokens.count - 1 { position += 1 } }

    private func error(_ kind: ConfigurationErrorKind, at token: Token) -> ConfigurationError {
        ConfigurationError(kind, at: SourceLocation(file: file, line: token.line, column: token.column))
    }

    private func isPunctuation(_ mark: String) -> Bool { token.kind == .punctuation(mark) }

    private mutating func skipNewlines() { while token.kind == .newline { advance() } }

    // MARK: statements

    /// Statements up to `closing` (`end` or `}`), or to the end of the file when nil.
    private mutating func parseStatements(closing: Token.Kind?, openedAt: Token?) -> [Statement] {
        var statements: [Statement] = []
        while true {
            while token.kind == .newline || isPunctuation(";") { advance() }
            if let closing, token.kind == closing { return statements }
            if token.kind == .endOfFile {
                if let openedAt { errors.append(error(.unterminatedBlock(opened: openedAt.line), at: openedAt)) }
                return statements
            }
            if closing == nil && (token.kind == .endKeyword || isPunctuation("}")) {
                errors.append(error(.unexpectedToken(expected: "a statement", found: token.display), at: token))
                advance()
                continue
            }
            do throws(ConfigurationError) {
                statements.append(try parseStatement())
                let endsStatement =
                    token.kind == .newline || isPunctuation(";") || token.kind == .endOfFile
                    || (closing.map { token.kind == $0 } ?? false)
                if case .keyword(let word) = token.kind {
                    throw error(.unsupportedConstruct("\"\(word)\"", hint: Self.keywordHint(word)), at: token)
                }
                if !endsStatement {
                    throw error(.unexpectedToken(expected: "end of line", found: token.display), at: token)
                }
            } catch {
                errors.append(error)
                let stuckAt = position
                recover()
                // A stray `)` or `]` stops recovery where it started; step over it so the
                // loop always makes progress.
                if position == stuckAt && token.kind != .endOfFile && token.kind != .newline { advance() }
            }
        }
    }

    /// Skips to the end of the broken statement: the next line end outside any bracket or
    /// block the statement opened, stopping before an `end`/`}` that closes an outer block.
    private mutating func recover() {
        var depth = 0
        while token.kind != .endOfFile {
            switch token.kind {
            case .newline where depth == 0:
                return
            case .doKeyword:
                depth += 1
            case .keyword(let word) where Self.blockKeywords.contains(word) && startsLine(position):
                depth += 1
            case .punctuation("{"), .punctuation("("), .punctuation("["):
                depth += 1
            case .endKeyword, .punctuation("}"):
                if depth == 0 { return }
                depth -= 1
            case .punctuation(")"), .punctuation("]"):
                depth = max(0, depth - 1)
            default:
                break
            }
            advance()
        }
    }

    /// Ruby keywords that open a block closed by `end` when they start a statement.
    private static let blockKeywords: Set<String> = [
        "if", "unless", "while", "until", "case", "def", "class", "module", "begin", "for",
    ]

    /// Whether the token at `index` is the first of its statement's line.
    private func startsLine(_ index: Int) -> Bool {
        guard index > 0 else { return true }
        let previous = tokens[index - 1]
        return previous.kind == .newline || previous.kind == .punctuation(";")
    }

    private mutating func parseStatement() throws(ConfigurationError) -> Statement {
        let start = token
        let expression = try parseExpression()
        if isPunctuation("=") || isPunctuation("+=") {
            let append = isPunctuation("+=")
            guard case .call(let call) = expression.kind, let receiver = call.receiver, call.arguments == nil,
                call.block == nil
            else {
                if case .call(let call) = expression.kind, call.receiver == nil {
                    throw error(
                        .unsupportedConstruct(
                            "assignment to the local variable \"\(call.name)\"",
                            hint: "only settings can be assigned, e.g. manager.connection_spec = \"...\""),
                        at: start)
                }
                throw error(.unexpectedToken(expected: "a setting before \"=\"", found: "an expression"), at: start)
            }
            advance()
            skipNewlines()
            let value = try parseExpression()
            return Statement(
                kind: .assignment(target: receiver, key: call.name, value: value, append: append), line: start.line,
                column: start.column, annotation: start.annotation)
        }
        return Statement(
            kind: .expression(expression), line: start.line, column: start.column, annotation: start.annotation)
    }

    // MARK: expressions

    private mutating func parseExpression() throws(ConfigurationError) -> Expression {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw error(.nestingTooDeep(limit: Self.maximumDepth), at: token) }
        var expression = try parsePrimary()
        while true {
            if isPunctuation(".") {
                advance()
                skipNewlines()
                let nameToken = token
                guard case .identifier(let name) = nameToken.kind else {
                    throw error(
                        .unexpectedToken(expected: "a method name after \".\"", found: token.display), at: token)
                }
                advance()
                let call = try parseCallRest(receiver: expression, name: name)
                expression = Expression(
                    kind: .call(call), line: expression.line, column: expression.column,
                    annotation: expression.annotation)
            } else if isPunctuation("[") && !token.spaceBefore {
                throw error(
                    .unsupportedConstruct("indexing with [...]", hint: "assign the setting directly instead"),
                    at: token)
            } else if case .operatorSymbol(let mark) = token.kind {
                throw error(
                    .unsupportedConstruct(
                        "operator \"\(mark)\"",
                        hint: "milter-manager.conf supports literals, settings and calls, not computations"),
                    at: token)
            } else {
                return expression
            }
        }
    }

    private mutating func parsePrimary() throws(ConfigurationError) -> Expression {
        let start = token
        func literal(_ kind: Expression.Kind) -> Expression {
            Expression(kind: kind, line: start.line, column: start.column, annotation: start.annotation)
        }
        switch start.kind {
        case .string(let text):
            advance()
            return literal(.string(text))
        case .integer(let value):
            advance()
            return literal(.integer(value))
        case .float(let value):
            advance()
            return literal(.float(value))
        case .bool(let value):
            advance()
            return literal(.bool(value))
        case .nilKeyword:
            advance()
            return literal(.nilLiteral)
        case .regex(let regex):
            advance()
            return literal(.regex(regex))
        case .symbol(let name):
            advance()
            return literal(.symbol(name))
        case .operatorSymbol("-"):
            advance()
            switch token.kind {
            case .integer(let value) where !token.spaceBefore:
                advance()
                return literal(.integer(-value))
            case .float(let value) where !token.spaceBefore:
                advance()
                return literal(.float(-value))
            default:
                throw error(.unsupportedConstruct("operator \"-\"", hint: "write a number literal"), at: start)
            }
        case .punctuation("["):
            advance()
            var elements: [Expression] = []
            while true {
                skipNewlines()
                if isPunctuation("]") { break }
                elements.append(try parseExpression())
                skipNewlines()
                if isPunctuation(",") {
                    advance()
                } else if !isPunctuation("]") {
                    throw error(.unexpectedToken(expected: "\",\" or \"]\"", found: token.display), at: token)
                }
            }
            advance()
            return literal(.array(elements))
        case .punctuation("("):
            advance()
            skipNewlines()
            let inner = try parseExpression()
            skipNewlines()
            guard isPunctuation(")") else {
                throw error(.unexpectedToken(expected: "\")\"", found: token.display), at: token)
            }
            advance()
            return inner
        case .identifier(let name):
            advance()
            return literal(.call(try parseCallRest(receiver: nil, name: name)))
        case .constant(let name):
            throw error(
                .unsupportedConstruct(
                    "constant \"\(name)\"",
                    hint: "detectors and Ruby classes are not available; use load_default for detection"),
                at: start)
        case .keyword(let word):
            throw error(.unsupportedConstruct("\"\(word)\"", hint: Self.keywordHint(word)), at: start)
        case .punctuation("{"):
            throw error(.unsupportedConstruct("hash literal", hint: "pass options as name: value arguments"), at: start)
        case .invalid(let kind):
            throw error(kind, at: start)
        case .label, .punctuation, .operatorSymbol, .doKeyword, .endKeyword, .newline, .endOfFile:
            throw error(.unexpectedToken(expected: "a value", found: start.display), at: start)
        }
    }

    private static func keywordHint(_ word: String) -> String {
        switch word {
        case "if", "unless", "case", "while", "until", "for", "else", "elsif", "then", "when":
            return "conditional code needs Ruby; the Swift milter manager reads a fixed subset "
                + "(settings, define_milter blocks, load calls, condition helpers)"
        case "def", "class", "module":
            return "defining Ruby methods or classes is not supported"
        case "begin", "rescue", "ensure":
            return "exception handling is not needed: a broken statement is reported and skipped"
        default:
            return "the configuration language is a Ruby subset without \"\(word)\""
        }
    }

    /// Arguments and block after a method name.
    private mutating func parseCallRest(receiver: Expression?, name: String) throws(ConfigurationError) -> Call {
        var call = Call(receiver: receiver, name: name, arguments: nil, block: nil)
        if isPunctuation("(") && !token.spaceBefore {
            advance()
            call.arguments = try parseArguments(closing: ")")
        } else if token.spaceBefore && canStartCommandArgument() {
            call.arguments = try parseArguments(closing: nil)
        }
        if token.kind == .doKeyword || (isPunctuation("{") && token.spaceBefore) {
            call.block = Self.takesRubyCallback(name) ? try skipRubyBlock() : try parseBlock()
        }
        return call
    }

    /// Whether a block given to `name` is a Ruby callback of the original (its body is code,
    /// not configuration): stoppers, block matchers, connection checkers, hooks.
    static func takesRubyCallback(_ name: String) -> Bool {
        (name.hasPrefix("define_") && name.hasSuffix("_stopper"))
            || [
                "add_whitelist", "add_blacklist", "define_connection_checker", "maintained", "event_loop_created",
                "restrict_accounts_generic", "define_policy", "define_model",
            ].contains(name)
    }

    /// Skips a block's body up to its matching `end`/`}` (nested blocks, brackets and Ruby's
    /// block keywords counted), keeping only its parameters and line.
    private mutating func skipRubyBlock() throws(ConfigurationError) -> Block {
        let opening = token
        advance()
        var parameters: [String] = []
        if isPunctuation("|") {
            advance()
            while case .identifier(let name) = token.kind {
                parameters.append(name)
                advance()
                if isPunctuation(",") { advance() }
            }
            if isPunctuation("|") { advance() }
        }
        var depth = 0
        while token.kind != .endOfFile {
            switch token.kind {
            case .doKeyword, .punctuation("{"), .punctuation("("), .punctuation("["):
                depth += 1
            case .keyword(let word) where Self.blockKeywords.contains(word) && startsLine(position):
                depth += 1
            case .endKeyword, .punctuation("}"), .punctuation(")"), .punctuation("]"):
                if depth == 0 {
                    advance()
                    return Block(parameters: parameters, body: [], line: opening.line, isRubyCode: true)
                }
                depth -= 1
            default:
                break
            }
            advance()
        }
        throw error(.unterminatedBlock(opened: opening.line), at: opening)
    }

    private func canStartCommandArgument() -> Bool {
        switch token.kind {
        case .string, .integer, .float, .regex, .symbol, .label, .identifier, .constant, .bool, .nilKeyword:
            return true
        case .punctuation("["), .punctuation("("):
            return true
        case .operatorSymbol("-"):
            let next = tokens[min(position + 1, tokens.count - 1)]
            return !next.spaceBefore
        default:
            return false
        }
    }

    /// Arguments up to `closing` (parentheses) or the end of the line (a command call).
    private mutating func parseArguments(closing: String?) throws(ConfigurationError) -> [Expression] {
        var arguments: [Expression] = []
        var entries: [HashEntry] = []
        var entriesStart: Token?
        while true {
            if closing != nil { skipNewlines() }
            if let closing, isPunctuation(closing) {
                advance()
                break
            }
            let start = token
            if case .label(let key) = token.kind {
                advance()
                skipNewlines()
                entries.append(HashEntry(key: key, value: try parseExpression()))
                entriesStart = entriesStart ?? start
            } else {
                let value = try parseExpression()
                if isPunctuation("=>") {
                    advance()
                    skipNewlines()
                    let key: String
                    switch value.kind {
                    case .symbol(let name), .string(let name): key = name
                    default:
                        throw error(
                            .unexpectedToken(expected: "a symbol key before \"=>\"", found: "a value"), at: start)
                    }
                    entries.append(HashEntry(key: key, value: try parseExpression()))
                    entriesStart = entriesStart ?? start
                } else {
                    guard entries.isEmpty else {
                        throw error(
                            .unexpectedToken(
                                expected: "name: value options after the other arguments", found: "a value"),
                            at: start)
                    }
                    arguments.append(value)
                }
            }
            if closing != nil { skipNewlines() }
            if isPunctuation(",") {
                advance()
                skipNewlines()
                continue
            }
            if let closing {
                guard isPunctuation(closing) else {
                    throw error(.unexpectedToken(expected: "\",\" or \"\(closing)\"", found: token.display), at: token)
                }
                continue
            }
            break
        }
        if let entriesStart {
            arguments.append(
                Expression(kind: .hash(entries), line: entriesStart.line, column: entriesStart.column, annotation: nil))
        }
        return arguments
    }

    private mutating func parseBlock() throws(ConfigurationError) -> Block {
        let opening = token
        let closing: Token.Kind = opening.kind == .doKeyword ? .endKeyword : .punctuation("}")
        advance()
        var parameters: [String] = []
        if isPunctuation("|") {
            advance()
            while case .identifier(let name) = token.kind {
                parameters.append(name)
                advance()
                if isPunctuation(",") { advance() }
            }
            guard isPunctuation("|") else {
                throw error(
                    .unexpectedToken(expected: "\"|\" after the block parameters", found: token.display), at: token)
            }
            advance()
        }
        let body = parseStatements(closing: closing, openedAt: opening)
        if token.kind == closing { advance() }
        return Block(parameters: parameters, body: body, line: opening.line)
    }
}
