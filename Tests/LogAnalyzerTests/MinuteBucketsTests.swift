import LogAnalyzer
import Testing

/// Counting events per minute and file.
@Suite struct MinuteBucketsTests {
    static let minute: Int64 = 1_705_828_260  // 2024-01-21T09:11:00Z
    let spamcheck = MilterName("spamcheck")!

    private func end(_ status: StatusWord, _ elapsed: Double, tag: UInt64 = 1) -> StatisticsEvent.Ending {
        StatisticsEvent.Ending(lastState: "end-of-message", status: status, elapsed: elapsed, tag: tag)
    }

    private func value(_ buckets: MinuteBuckets, _ database: RRDDatabase, _ source: String, _ minute: Int64) -> Double?
    {
        guard let index = database.dataSources.firstIndex(where: { $0.name == source }) else { return nil }
        return buckets.values[database]?[minute]?[index]
    }

    @Test func sessionsCountPerMinuteWithStatusAndElapsedTime() {
        var buckets = MinuteBuckets(lastUpdates: [:])
        buckets.record(.sessionEnd(end(.accept, 0.5)), at: Self.minute + 1)
        buckets.record(.sessionEnd(end(.reject, 2.5)), at: Self.minute + 59)
        buckets.record(.sessionEnd(end(.skip, 1)), at: Self.minute + 60)
        #expect(value(buckets, .session, "smtp", Self.minute) == 2)
        #expect(value(buckets, .managerStatus, "accept", Self.minute) == 1)
        #expect(value(buckets, .managerStatus, "reject", Self.minute) == 1)
        #expect(value(buckets, .managerStatus, "pass", Self.minute + 60) == 1)
        #expect(value(buckets, .managerElapsed, "count", Self.minute) == 2)
        #expect(value(buckets, .managerElapsed, "total", Self.minute) == 3)
        #expect(value(buckets, .managerElapsed, "max", Self.minute) == 2.5)
    }

    @Test func childLinesFillTheChildsFilesAndTheSessionFile() {
        var buckets = MinuteBuckets(lastUpdates: [:])
        buckets.record(.milterEnd(end(.stop, 0.001), milter: spamcheck), at: Self.minute)
        buckets.record(.milterEnd(end(.temporaryFailure, 0.003), milter: spamcheck), at: Self.minute)
        #expect(value(buckets, .session, "child", Self.minute) == 2)
        #expect(value(buckets, .milterStatus(spamcheck), "stop", Self.minute) == 1)
        #expect(value(buckets, .milterStatus(spamcheck), "temporary_failure", Self.minute) == 1)
        #expect(value(buckets, .milterElapsed(spamcheck), "count", Self.minute) == 2)
        // The report file exists for the child even with nothing to report.
        #expect(value(buckets, .milterReport(spamcheck), "spam", Self.minute) == 0)
    }

    @Test func headersCountForTheManagerAndTheChild() {
        var buckets = MinuteBuckets(lastUpdates: [:])
        let addition = StatisticsEvent.HeaderAddition(tag: 4, name: "X-Spam-Flag", value: "YES")
        buckets.record(.milterHeaderAdded(addition, milter: spamcheck), at: Self.minute)
        buckets.record(.sessionHeaderAdded(addition), at: Self.minute)
        #expect(value(buckets, .managerReport, "spam", Self.minute) == 1)
        #expect(value(buckets, .milterReport(spamcheck), "spam", Self.minute) == 1)
    }

    @Test func concurrencyKeepsTheMaximum() {
        var buckets = MinuteBuckets(lastUpdates: [:])
        for inProgress: UInt64 in [3, 7, 2] {
            buckets.record(.sessionsFinished(processed: 10, finished: 1, inProgress: inProgress), at: Self.minute)
        }
        #expect(value(buckets, .session, "concurrent", Self.minute) == 7)
    }

    /// runtime.md §6 notes the original never counts quarantine; a quarantined session counts
    /// as quarantined here (instead of its final status, so the stack still adds up).
    @Test func quarantinedSessionsCountAsQuarantine() {
        var buckets = MinuteBuckets(lastUpdates: [:])
        buckets.record(.quarantine(tag: 9), at: Self.minute)
        buckets.record(.sessionEnd(end(.accept, 1, tag: 9)), at: Self.minute)
        buckets.record(.sessionEnd(end(.accept, 1, tag: 10)), at: Self.minute)
        #expect(value(buckets, .managerStatus, "quarantine", Self.minute) == 1)
        #expect(value(buckets, .managerStatus, "accept", Self.minute) == 1)
    }

    /// A file takes nothing before its last update: a second run over the same lines adds none.
    @Test func minutesBeforeAFilesLastUpdateAreSkipped() {
        var buckets = MinuteBuckets(lastUpdates: [.session: Self.minute + 60])
        buckets.record(.sessionEnd(end(.accept, 1)), at: Self.minute + 30)
        buckets.record(.sessionEnd(end(.accept, 1)), at: Self.minute + 60)
        #expect(value(buckets, .session, "smtp", Self.minute) == nil)
        #expect(value(buckets, .session, "smtp", Self.minute + 60) == 1)
        // Files without a last update (new ones) take both.
        #expect(value(buckets, .managerStatus, "accept", Self.minute) == 1)
    }

    @Test func childrenBeyondTheLimitAreRefused() {
        var buckets = MinuteBuckets(lastUpdates: [.milterStatus(MilterName("old")!): 0], maximumMilters: 2)
        for name in ["old", "new1", "new2", "new3"] {
            buckets.record(.milterEnd(end(.pass, 0), milter: MilterName(name)!), at: Self.minute)
        }
        #expect(buckets.refusedMilters == [MilterName("new2")!, MilterName("new3")!])
        #expect(buckets.values[.milterStatus(MilterName("new1")!)] != nil)
        #expect(buckets.values[.milterStatus(MilterName("new2")!)] == nil)
        #expect(value(buckets, .session, "child", Self.minute) == 4)
    }
}
