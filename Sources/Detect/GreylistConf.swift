/// What detection needs from milter-greylist's greylist.conf: the `socket` statement (its
/// path and mode) and the longest `tarpit` of the `racl`/`acl` statements. Every other
/// statement, known or not, is skipped; a problem is reported only for a `socket` statement
/// that is itself malformed.
struct GreylistConf: Hashable {
    /// The socket milter-greylist listens on.
    struct Socket: Hashable {
        /// The quoted path (or `inet:`/`local:` spec) as written, without quotes.
        var path: String
        /// The mode after the path (`660`), when given.
        var mode: String?
        /// The statement's line.
        var line: Int
    }

    /// A malformed `socket` statement.
    struct Problem: Hashable {
        /// The statement's line.
        var line: Int
        /// What is wrong with it.
        var message: String
    }

    /// The socket of the last well-formed `socket` statement, unless a malformed one follows.
    var socket: Socket?
    /// What is wrong with the last `socket` statement, when it is malformed.
    var socketProblem: Problem?
    /// The longest `tarpit` of the `racl`/`acl` statements, in seconds.
    var longestTarpit: Double?

    /// The modes milter-greylist accepts for its socket (it exits on any other).
    static let acceptedModes: Set<Int> = [666, 660, 600]

    /// Reads `text`.
    init(parsing text: String) {
        for statement in GreylistStatements.parse(text) {
            switch statement.keyword {
            case "socket":
                readSocket(statement)
            case "racl", "acl":
                if let tarpit = Self.tarpit(in: statement.tokens) { longestTarpit = max(longestTarpit ?? 0, tarpit) }
            default:
                continue
            }
        }
    }

    private mutating func readSocket(_ statement: GreylistStatements.Statement) {
        let arguments = statement.tokens.dropFirst()
        socket = nil
        socketProblem = nil
        guard case .quoted(let path, let terminated)? = arguments.first else {
            socketProblem = Problem(line: statement.line, message: "the socket is not a quoted path")
            return
        }
        guard terminated else {
            socketProblem = Problem(line: statement.line, message: "the socket's quote is not closed")
            return
        }
        guard !path.isEmpty else {
            socketProblem = Problem(line: statement.line, message: "the socket path is empty")
            return
        }
        var mode: String?
        let rest = arguments.dropFirst()
        if case .word(let word)? = rest.first {
            // milter-greylist reads the mode with atoi(): `0660` is 660.
            guard word.allSatisfy({ $0.isASCII && $0.isNumber }), word.count <= 8,
                let number = Int(word), Self.acceptedModes.contains(number)
            else {
                socketProblem = Problem(
                    line: statement.line,
                    message: "socket mode \(word) is not one milter-greylist accepts (666, 660, 600)")
                return
            }
            mode = word
        }
        guard rest.count <= (mode == nil ? 0 : 1) else {
            socketProblem = Problem(line: statement.line, message: "unexpected text after the socket")
            return
        }
        socket = Socket(path: path, mode: mode, line: statement.line)
    }

    /// The `tarpit` duration of an ACL, in seconds.
    private static func tarpit(in tokens: [GreylistStatements.Token]) -> Double? {
        for (index, token) in tokens.enumerated() {
            guard case .word(let word) = token, ["tarpit", "tarpit:"].contains(word.lowercased()),
                index + 1 < tokens.count, case .word(let value) = tokens[index + 1]
            else { continue }
            return duration(value[...])
        }
        return nil
    }

    /// `125s`, `2m`, `1h`, `3d`, `1w`, `30` (seconds) in seconds.
    static func duration(_ text: Substring) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604_800]
        var digits = text
        var factor = 1.0
        if let last = text.last, let unit = units[Character(last.lowercased())] {
            digits = text.dropLast()
            factor = unit
        }
        guard !digits.isEmpty, digits.count <= 12, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let number = Double(digits)
        else {
            return nil
        }
        return number * factor
    }
}
