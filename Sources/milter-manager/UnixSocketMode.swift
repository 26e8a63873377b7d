/// `--unix-socket-mode`: octal digits (`660`, `0660`) or a symbolic mode (`u=rw,g=rw`,
/// `ug=rw`, `a=rwx`), as the original's option parser takes it.
enum UnixSocketMode {
    /// Why a mode is not valid.
    struct InvalidMode: Error, CustomStringConvertible {
        /// The text given.
        var text: String
        var description: String {
            "invalid unix socket mode \"\(text)\": write octal digits (0660) or a symbolic mode (u=rw,g=rw)"
        }
    }

    /// The mode bits of `text`.
    static func parse(_ text: String) throws -> Int {
        if !text.isEmpty, text.allSatisfy({ $0 >= "0" && $0 <= "7" }) {
            guard let value = Int(text, radix: 8), value <= 0o777 else { throw InvalidMode(text: text) }
            return value
        }
        var mode = 0
        for clause in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let operatorIndex = clause.firstIndex(where: { "=+-".contains($0) }) else {
                throw InvalidMode(text: text)
            }
            let who = clause[..<operatorIndex]
            let permissions = clause[clause.index(after: operatorIndex)...]
            guard who.allSatisfy({ "ugoa".contains($0) }), permissions.allSatisfy({ "rwx".contains($0) }) else {
                throw InvalidMode(text: text)
            }
            var bits = 0
            if permissions.contains("r") { bits |= 4 }
            if permissions.contains("w") { bits |= 2 }
            if permissions.contains("x") { bits |= 1 }
            var mask = 0
            var shifted = 0
            for target in who.isEmpty ? "a" : who {
                switch target {
                case "u": shifted |= bits << 6; mask |= 0o700
                case "g": shifted |= bits << 3; mask |= 0o070
                case "o": shifted |= bits; mask |= 0o007
                default: shifted |= bits << 6 | bits << 3 | bits; mask |= 0o777
                }
            }
            switch clause[operatorIndex] {
            case "=": mode = (mode & ~mask) | shifted
            case "+": mode |= shifted
            default: mode &= ~shifted
            }
        }
        return mode
    }
}
