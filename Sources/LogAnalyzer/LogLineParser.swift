/// Recognizes the three shapes milter-manager's statistics lines come in:
/// - traditional syslog (`Jan 21 10:11:12 host milter-manager[4242]: [statistics] ...`, with
///   Solaris' `[ID 123 mail.notice] ` allowed after the colon), as the original's analyzer reads;
/// - RFC 3339 syslog, Debian 12's rsyslog default
///   (`2024-01-21T10:11:12.123456+01:00 host milter-manager[4242]: [statistics] ...`, also
///   `journalctl -o short-iso`'s `+0100`);
/// - the daemon's own log file (`log.path`, `MILTER_LOG_PATH`):
///   `[2024-01-21T10:11:12.123456Z]: [statistics] ...`.
public enum LogLineParser {
    /// The program name statistics lines must carry in syslog.
    public static let program = Array("milter-manager".utf8)

    /// What `line` (without its newline) is.
    public static func parse(_ line: ArraySlice<UInt8>) -> LogLine {
        guard let first = line.first else { return .unrecognized }
        var cursor = ByteCursor(line)
        let time: LineTime
        if first == UInt8(ascii: "[") {
            _ = cursor.skip(byte: first)
            guard let seconds = isoTime(&cursor), cursor.skip("]: ") else { return .unrecognized }
            return classify(cursor.rest, time: .absolute(seconds), ours: true)
        } else if first >= 0x30 && first <= 0x39 {
            guard let seconds = isoTime(&cursor) else { return .unrecognized }
            time = .absolute(seconds)
        } else {
            guard let stamp = traditionalTime(&cursor) else { return .unrecognized }
            time = .local(stamp)
        }
        guard cursor.skip(byte: UInt8(ascii: " ")) else { return .unrecognized }
        let host = cursor.take { $0 != UInt8(ascii: " ") }
        guard !host.isEmpty, cursor.skip(byte: UInt8(ascii: " ")) else { return .unrecognized }
        let name = cursor.take { $0 != UInt8(ascii: "[") && $0 != UInt8(ascii: ":") && $0 != UInt8(ascii: " ") }
        if cursor.skip(byte: UInt8(ascii: "[")) {
            guard !cursor.digits().isEmpty, cursor.skip(byte: UInt8(ascii: "]")) else { return .other(time) }
        }
        guard cursor.skip(": ") else { return .other(time) }
        return classify(cursor.rest, time: time, ours: name.elementsEqual(program))
    }

    private static func classify(_ message: ArraySlice<UInt8>, time: LineTime, ours: Bool) -> LogLine {
        guard ours else { return .other(time) }
        var cursor = ByteCursor(message)
        // Solaris syslog: `[ID 123456 mail.notice] ` before the message.
        if cursor.skip("[ID ") {
            _ = cursor.take { $0 != UInt8(ascii: "]") }
            guard cursor.skip("] ") else { return .other(time) }
        }
        guard cursor.skip("[statistics] ") else { return .other(time) }
        return .statistics(time, payload: cursor.rest)
    }

    private static let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ].map { Array($0.utf8) }

    /// `Jan 21 10:11:12` (the day may be space-padded).
    static func traditionalTime(_ cursor: inout ByteCursor) -> LocalStamp? {
        let name = cursor.take { ($0 | 0x20) >= UInt8(ascii: "a") && ($0 | 0x20) <= UInt8(ascii: "z") }
        guard let month = months.firstIndex(where: { $0.elementsEqual(name) }) else { return nil }
        guard !cursor.take(while: { $0 == UInt8(ascii: " ") }).isEmpty else { return nil }
        let dayDigits = cursor.digits()
        guard (1...2).contains(dayDigits.count), let day = Int(String(decoding: dayDigits, as: UTF8.self)),
            cursor.skip(byte: UInt8(ascii: " ")), let clock = clockTime(&cursor), (1...31).contains(day)
        else { return nil }
        return LocalStamp(month: month + 1, day: day, hour: clock.0, minute: clock.1, second: clock.2)
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|+HHMM)` as seconds since the epoch.
    static func isoTime(_ cursor: inout ByteCursor) -> Int64? {
        guard let year = cursor.number(digits: 4), cursor.skip(byte: UInt8(ascii: "-")),
            let month = cursor.number(digits: 2), cursor.skip(byte: UInt8(ascii: "-")),
            let day = cursor.number(digits: 2), cursor.skip(byte: UInt8(ascii: "T")), let clock = clockTime(&cursor),
            (1970...9999).contains(year), (1...12).contains(month),
            (1...CivilCalendar.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        if cursor.skip(byte: UInt8(ascii: ".")) {
            guard (1...9).contains(cursor.digits().count) else { return nil }
        }
        var offset = 0
        if !cursor.skip(byte: UInt8(ascii: "Z")) {
            let sign: Int
            if cursor.skip(byte: UInt8(ascii: "+")) {
                sign = 1
            } else if cursor.skip(byte: UInt8(ascii: "-")) {
                sign = -1
            } else {
                return nil
            }
            guard let hours = cursor.number(digits: 2) else { return nil }
            _ = cursor.skip(byte: UInt8(ascii: ":"))
            guard let minutes = cursor.number(digits: 2), hours <= 23, minutes <= 59 else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        }
        let days = CivilCalendar.daysSinceEpoch(year: year, month: month, day: day)
        let seconds = Int64(days) * 86400 + Int64(clock.0 * 3600 + clock.1 * 60 + clock.2) - Int64(offset)
        return seconds
    }

    /// `HH:MM:SS` with the ranges checked (a leap second allowed).
    private static func clockTime(_ cursor: inout ByteCursor) -> (Int, Int, Int)? {
        guard let hour = cursor.number(digits: 2), cursor.skip(byte: UInt8(ascii: ":")),
            let minute = cursor.number(digits: 2), cursor.skip(byte: UInt8(ascii: ":")),
            let second = cursor.number(digits: 2), hour <= 23, minute <= 59, second <= 60
        else { return nil }
        return (hour, minute, second)
    }
}
