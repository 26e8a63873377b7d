/// Reads the text after `[statistics] ` into a `StatisticsEvent`.
///
/// Kinds the analyzer does not graph (`[session][start]` of old versions, `[maintain][memory]`,
/// kinds a later version adds) give nil; a graphed kind that does not follow its format throws.
public enum StatisticsLineParser {
    /// The event of `payload`, nil for a kind that is not graphed.
    public static func parse(_ payload: ArraySlice<UInt8>) throws(StatisticsLineError) -> StatisticsEvent? {
        var cursor = ByteCursor(payload)
        if cursor.skip("[session]") {
            if cursor.skip("[end]") { return .sessionEnd(try ending(&cursor, kind: "[session][end]", named: false).0) }
            if cursor.skip("[disconnected]") { return try disconnected(&cursor) }
            if cursor.skip("[header][add]") {
                return .sessionHeaderAdded(try header(&cursor, kind: "[session][header][add]", named: false).0)
            }
            return nil
        }
        if cursor.skip("[milter]") {
            if cursor.skip("[end]") {
                let (ending, name) = try ending(&cursor, kind: "[milter][end]", named: true)
                return .milterEnd(ending, milter: name!)
            }
            if cursor.skip("[header][add]") {
                let (addition, name) = try header(&cursor, kind: "[milter][header][add]", named: true)
                return .milterHeaderAdded(addition, milter: name!)
            }
            return nil
        }
        if cursor.skip("[sessions][finished] ") { return try finished(&cursor) }
        if cursor.skip("[reply][end-of-message][quarantine]") {
            let tag = try self.tag(&cursor, kind: "[reply][end-of-message][quarantine]")
            try end(&cursor, kind: "[reply][end-of-message][quarantine]")
            return .quarantine(tag: tag)
        }
        return nil
    }

    /// `[STATE][STATUS][ELAPSED](TAG)` and, when `named`, `: NAME`.
    private static func ending(_ cursor: inout ByteCursor, kind: String, named: Bool) throws(StatisticsLineError)
        -> (StatisticsEvent.Ending, MilterName?)
    {
        guard let state = cursor.bracketed(), !state.isEmpty, state.count <= 32,
            state.allSatisfy({ $0 == UInt8(ascii: "-") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) })
        else { throw StatisticsLineError(kind: kind, problem: .missing(expected: "[STATE] of lowercase words")) }
        guard let statusText = cursor.bracketed() else {
            throw StatisticsLineError(kind: kind, problem: .missing(expected: "[STATUS]"))
        }
        guard let status = StatusWord(rawValue: String(decoding: statusText, as: UTF8.self)) else {
            throw StatisticsLineError(kind: kind, problem: .unknownStatus(String(decoding: statusText, as: UTF8.self)))
        }
        let elapsed = try self.elapsed(&cursor, kind: kind)
        let tag = try self.tag(&cursor, kind: kind)
        let ending = StatisticsEvent.Ending(
            lastState: String(decoding: state, as: UTF8.self), status: status, elapsed: elapsed, tag: tag)
        guard named else {
            try end(&cursor, kind: kind)
            return (ending, nil)
        }
        guard cursor.skip(": ") else { throw StatisticsLineError(kind: kind, problem: .missing(expected: ": NAME")) }
        return (ending, try milterName(cursor.rest, kind: kind))
    }

    private static func disconnected(_ cursor: inout ByteCursor) throws(StatisticsLineError) -> StatisticsEvent {
        let kind = "[session][disconnected]"
        let elapsed = try self.elapsed(&cursor, kind: kind)
        let tag = try self.tag(&cursor, kind: kind)
        try end(&cursor, kind: kind)
        return .sessionDisconnected(elapsed: elapsed, tag: tag)
    }

    /// `(TAG): <NAME>=<VALUE>` and, when `named`, `: MILTER` (found from the end: a value may
    /// hold `>: ` itself, a milter name cannot).
    private static func header(_ cursor: inout ByteCursor, kind: String, named: Bool) throws(StatisticsLineError)
        -> (StatisticsEvent.HeaderAddition, MilterName?)
    {
        let tag = try self.tag(&cursor, kind: kind)
        guard cursor.skip(": <") else { throw StatisticsLineError(kind: kind, problem: .missing(expected: ": <NAME>")) }
        let rest = cursor.rest
        guard let separator = rest.firstRange(of: Array(">=<".utf8)) else {
            throw StatisticsLineError(kind: kind, problem: .missing(expected: "<NAME>=<VALUE>"))
        }
        let name = rest[rest.startIndex..<separator.lowerBound]
        guard !name.isEmpty, name.count <= 256, name.allSatisfy({ $0 > 0x20 && $0 < 0x7f && $0 != UInt8(ascii: ":") })
        else {
            throw StatisticsLineError(kind: kind, problem: .badHeaderName(String(decoding: name, as: UTF8.self)))
        }
        let afterName = rest[separator.upperBound...]
        let value: ArraySlice<UInt8>
        var milter: MilterName?
        if named {
            guard let close = afterName.lastRange(of: Array(">: ".utf8)) else {
                throw StatisticsLineError(kind: kind, problem: .truncated)
            }
            value = afterName[afterName.startIndex..<close.lowerBound]
            milter = try milterName(afterName[close.upperBound...], kind: kind)
        } else {
            guard afterName.last == UInt8(ascii: ">") else {
                throw StatisticsLineError(kind: kind, problem: .truncated)
            }
            value = afterName.dropLast()
        }
        let addition = StatisticsEvent.HeaderAddition(
            tag: tag, name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self))
        return (addition, milter)
    }

    private static func finished(_ cursor: inout ByteCursor) throws(StatisticsLineError) -> StatisticsEvent {
        let kind = "[sessions][finished]"
        let processed = try number(cursor.digits(), kind: kind)
        guard cursor.skip("(+") else { throw StatisticsLineError(kind: kind, problem: .missing(expected: "(+N)")) }
        let finished = try number(cursor.digits(), kind: kind)
        guard cursor.skip(") ") else { throw StatisticsLineError(kind: kind, problem: .missing(expected: ") N")) }
        let inProgress = try number(cursor.digits(), kind: kind)
        try end(&cursor, kind: kind)
        return .sessionsFinished(processed: processed, finished: finished, inProgress: inProgress)
    }

    private static func elapsed(_ cursor: inout ByteCursor, kind: String) throws(StatisticsLineError) -> Double {
        guard let text = cursor.bracketed() else {
            throw StatisticsLineError(kind: kind, problem: .missing(expected: "[ELAPSED]"))
        }
        let string = String(decoding: text, as: UTF8.self)
        guard text.count <= 32, text.allSatisfy({ Self.floatBytes.contains($0) }), let value = Double(string),
            value.isFinite, value >= 0, value <= 1e9
        else { throw StatisticsLineError(kind: kind, problem: .badElapsed(string)) }
        return value
    }

    private static let floatBytes = Set("0123456789.eE+-".utf8)

    private static func tag(_ cursor: inout ByteCursor, kind: String) throws(StatisticsLineError) -> UInt64 {
        guard let text = cursor.parenthesized() else {
            throw StatisticsLineError(kind: kind, problem: .missing(expected: "(TAG)"))
        }
        return try number(text, kind: kind)
    }

    private static func number(_ text: ArraySlice<UInt8>, kind: String) throws(StatisticsLineError) -> UInt64 {
        guard !text.isEmpty, text.count <= 19, text.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let value = UInt64(String(decoding: text, as: UTF8.self))
        else { throw StatisticsLineError(kind: kind, problem: .badNumber(String(decoding: text, as: UTF8.self))) }
        return value
    }

    private static func milterName(_ bytes: ArraySlice<UInt8>, kind: String) throws(StatisticsLineError) -> MilterName {
        guard let name = MilterName(bytes: bytes) else {
            throw StatisticsLineError(kind: kind, problem: .refusedMilterName(String(decoding: bytes, as: UTF8.self)))
        }
        return name
    }

    private static func end(_ cursor: inout ByteCursor, kind: String) throws(StatisticsLineError) {
        guard cursor.rest.isEmpty else {
            throw StatisticsLineError(kind: kind, problem: .trailingText(String(decoding: cursor.rest, as: UTF8.self)))
        }
    }
}
