import Foundation

/// Turns a line's time into seconds since the epoch. Traditional syslog times have no year
/// and are local: the year is the latest one (this year, last year, ...) that makes the stamp a
/// valid date no later than one day after `now` (so December lines read in January are last
/// year's, and February 29 finds its leap year); the zone is `timeZone`.
public struct LocalTimeResolver {
    /// The current time, seconds since the epoch.
    public let now: Int64
    /// The zone syslog wrote local times in.
    public let timeZone: TimeZone
    private let currentYear: Int
    private var years: [Int: Int?] = [:]
    private var offsets: [Int64: Int] = [:]

    /// A resolver for lines read at `now` in `timeZone`.
    public init(now: Int64, timeZone: TimeZone) {
        self.now = now
        self.timeZone = timeZone
        let local = now + Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(now))))
        currentYear = CivilCalendar.date(daysSinceEpoch: Int(local.floorDivided(by: 86400))).year
    }

    /// Seconds since the epoch, or nil for a stamp no recent year makes valid.
    public mutating func seconds(_ time: LineTime) -> Int64? {
        switch time {
        case .absolute(let seconds): return seconds
        case .local(let stamp): return seconds(stamp)
        }
    }

    private mutating func seconds(_ stamp: LocalStamp) -> Int64? {
        let key = (stamp.month * 32 + stamp.day) * 24 + stamp.hour
        let year: Int?
        if let cached = years[key] {
            year = cached
        } else {
            year = inferYear(stamp)
            years[key] = year
        }
        guard let year else { return nil }
        return utc(stamp, year: year)
    }

    private mutating func inferYear(_ stamp: LocalStamp) -> Int? {
        for year in stride(from: currentYear, through: currentYear - 8, by: -1)
        where stamp.day <= CivilCalendar.daysIn(month: stamp.month, year: year) {
            // The end of the stamp's hour, so that every line of one hour gets the same year.
            var end = stamp
            end.minute = 59
            end.second = 59
            if utc(end, year: year) <= now + 86400 { return year }
        }
        return nil
    }

    private mutating func utc(_ stamp: LocalStamp, year: Int) -> Int64 {
        let days = CivilCalendar.daysSinceEpoch(year: year, month: stamp.month, day: stamp.day)
        let wall = Int64(days) * 86400 + Int64(stamp.hour * 3600 + stamp.minute * 60 + stamp.second)
        return wall - Int64(offset(wallClock: wall))
    }

    /// The zone's offset at a wall-clock time (seconds as if the wall clock were UTC), cached
    /// per hour; across a change the offset in force after it wins.
    private mutating func offset(wallClock wall: Int64) -> Int {
        let hour = wall.floorDivided(by: 3600)
        if let cached = offsets[hour] { return cached }
        let guess = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(hour * 3600)))
        let actual = timeZone.secondsFromGMT(
            for: Date(timeIntervalSince1970: TimeInterval(hour * 3600 - Int64(guess))))
        offsets[hour] = actual
        return actual
    }
}

extension Int64 {
    /// Division rounding towards minus infinity.
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
