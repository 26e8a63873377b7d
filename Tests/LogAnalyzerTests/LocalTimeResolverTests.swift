import Foundation
import LogAnalyzer
import Testing

/// Years for syslog dates that have none, zones and their changes.
@Suite struct LocalTimeResolverTests {
    static let utc = TimeZone(identifier: "UTC")!

    private func seconds(_ iso: String) -> Int64 {
        let formatter = ISO8601DateFormatter()
        return Int64(formatter.date(from: iso)!.timeIntervalSince1970)
    }

    private func stamp(_ month: Int, _ day: Int, _ hour: Int = 12) -> LineTime {
        .local(LocalStamp(month: month, day: day, hour: hour, minute: 0, second: 0))
    }

    @Test func thisYearWhenNotInTheFuture() {
        var resolver = LocalTimeResolver(now: seconds("2024-06-01T12:00:00Z"), timeZone: Self.utc)
        #expect(resolver.seconds(stamp(5, 31)) == seconds("2024-05-31T12:00:00Z"))
    }

    @Test func decemberLinesReadInJanuaryAreLastYears() {
        var resolver = LocalTimeResolver(now: seconds("2025-01-01T00:05:00Z"), timeZone: Self.utc)
        #expect(resolver.seconds(stamp(12, 31, 23)) == seconds("2024-12-31T23:00:00Z"))
    }

    /// Up to a day ahead stays this year (a clock a little behind), later is last year's.
    @Test func aDayOfSlackForClocks() {
        var resolver = LocalTimeResolver(now: seconds("2024-06-01T12:00:00Z"), timeZone: Self.utc)
        #expect(resolver.seconds(stamp(6, 2, 10)) == seconds("2024-06-02T10:00:00Z"))
        #expect(resolver.seconds(stamp(6, 3, 10)) == seconds("2023-06-03T10:00:00Z"))
    }

    @Test func february29FindsItsLeapYear() {
        var resolver = LocalTimeResolver(now: seconds("2025-03-10T00:00:00Z"), timeZone: Self.utc)
        #expect(resolver.seconds(stamp(2, 29)) == seconds("2024-02-29T12:00:00Z"))
    }

    @Test func localTimesUseTheZoneAcrossSummerTime() {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        var resolver = LocalTimeResolver(now: seconds("2024-12-01T00:00:00Z"), timeZone: berlin)
        #expect(resolver.seconds(stamp(1, 15)) == seconds("2024-01-15T11:00:00Z"))
        #expect(resolver.seconds(stamp(7, 15)) == seconds("2024-07-15T10:00:00Z"))
    }

    @Test func absoluteTimesPassThrough() {
        var resolver = LocalTimeResolver(now: 0, timeZone: Self.utc)
        #expect(resolver.seconds(.absolute(1_705_828_272)) == 1_705_828_272)
    }
}
