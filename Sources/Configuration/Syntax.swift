/// An expression of the configuration language, with where it starts and the provenance
/// comment above it, if any.
struct Expression: Hashable, Sendable {
    /// The shapes the subset knows.
    indirect enum Kind: Hashable, Sendable {
        /// A string literal.
        case string(String)
        /// An integer literal.
        case integer(Int)
        /// A float literal.
        case float(Double)
        /// `true` or `false`.
        case bool(Bool)
        /// `nil`.
        case nilLiteral
        /// `/regex/`.
        case regex(RubyRegex)
        /// `:symbol`.
        case symbol(String)
        /// `[a, b]`.
        case array([Expression])
        /// `key: value` / `:key => value` pairs at the end of an argument list.
        case hash([HashEntry])
        /// A call or a name: `name`, `name(args)`, `receiver.name args`, with an optional block.
        case call(Call)
    }

    /// The shape.
    var kind: Kind
    /// Where it starts.
    var line: Int
    /// Where it starts.
    var column: Int
    /// The provenance comment above it.
    var annotation: Provenance?
}

/// One `key => value` of a trailing hash argument.
struct HashEntry: Hashable, Sendable {
    /// The key (a symbol, label or string), without `:`.
    var key: String
    /// The value.
    var value: Expression
}

/// `receiver.name(arguments) do |parameters| body end`.
struct Call: Hashable, Sendable {
    /// The receiver, nil for a bare name or function call.
    var receiver: Expression?
    /// The method or name.
    var name: String
    /// The arguments; nil when written without any (no parentheses, no arguments).
    var arguments: [Expression]?
    /// The block.
    var block: Block?
}

/// `do |parameters| ... end` or `{ |parameters| ... }`.
struct Block: Hashable, Sendable {
    /// The block parameter names.
    var parameters: [String]
    /// The statements.
    var body: [Statement]
    /// The line of `do` / `{`.
    var line: Int
    /// True for the body of a Ruby callback (a stopper, a block matcher): skipped by the parser
    /// as balanced tokens, so that the one error about it is the evaluator's, not one per line
    /// of Ruby inside.
    var isRubyCode = false
}

/// A statement: a call, or an assignment to `receiver.key` (`=` or `+=`).
struct Statement: Hashable, Sendable {
    /// The two statement shapes.
    enum Kind: Hashable, Sendable {
        /// A call evaluated for its effect.
        case expression(Expression)
        /// `target.key = value` (`append` for `+=`).
        case assignment(target: Expression, key: String, value: Expression, append: Bool)
    }

    /// The shape.
    var kind: Kind
    /// Where it starts.
    var line: Int
    /// Where it starts.
    var column: Int
    /// The provenance comment above it.
    var annotation: Provenance?
}
