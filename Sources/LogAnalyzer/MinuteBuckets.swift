/// Statistics events counted per minute, per RRD file and data source (runtime.md §6: one
/// value per minute; counts add up, concurrency and the longest time keep the maximum).
///
/// Each file takes only minutes at or after its last update, so a run over a log that grew
/// adds the new lines and nothing twice.
public struct MinuteBuckets {
    /// Per file, per minute (its first second since the epoch), values in data-source order.
    public private(set) var values: [RRDDatabase: [Int64: [Double]]] = [:]
    /// Children refused because `maximumMilters` were known already.
    public private(set) var refusedMilters: Set<MilterName> = []
    /// The last update of every file that exists: minutes before it are kept already.
    public let lastUpdates: [RRDDatabase: Int64]
    /// The most children the directory gets files for (a log anyone can write to through
    /// `logger` must not create files without end).
    public let maximumMilters: Int
    private var milters: Set<MilterName>
    private var quarantinedTags: Set<UInt64> = []

    /// Buckets for a directory whose files were last updated at `lastUpdates`.
    public init(lastUpdates: [RRDDatabase: Int64], maximumMilters: Int = 64) {
        self.lastUpdates = lastUpdates
        self.maximumMilters = maximumMilters
        milters = Set(lastUpdates.keys.compactMap(\.milter))
    }

    /// Counts `event`, which happened at `seconds` since the epoch.
    public mutating func record(_ event: StatisticsEvent, at seconds: Int64) {
        let minute = seconds.floorDivided(by: 60) * 60
        switch event {
        case .sessionEnd(let ending):
            add(.session, minute, Self.smtp, 1)
            let quarantined = quarantinedTags.remove(ending.tag) != nil
            let source = quarantined ? .quarantine : ending.status.dataSource(hasStop: false)
            add(.managerStatus, minute, Self.managerStatusIndex[source]!, 1)
            addElapsed(.managerElapsed, minute, ending.elapsed)
        case .sessionDisconnected:
            add(.session, minute, Self.disconnected, 1)
        case .sessionHeaderAdded:
            break
        case .milterEnd(let ending, let milter):
            add(.session, minute, Self.child, 1)
            guard admit(milter) else { return }
            add(.milterStatus(milter), minute, Self.milterStatusIndex[ending.status.dataSource(hasStop: true)]!, 1)
            addElapsed(.milterElapsed(milter), minute, ending.elapsed)
            touch(.milterReport(milter), minute)
        case .milterHeaderAdded(let addition, let milter):
            let sources = HeaderReport.sources(name: addition.name, value: addition.value)
            let admitted = admit(milter)
            for source in sources {
                add(.managerReport, minute, Self.reportIndex[source]!, 1)
                if admitted { add(.milterReport(milter), minute, Self.reportIndex[source]!, 1) }
            }
        case .sessionsFinished(_, _, let inProgress):
            add(.session, minute, Self.concurrent, Double(inProgress), merge: .maximum)
        case .quarantine(let tag):
            // The session's end line follows; it counts as quarantined then.
            if quarantinedTags.count >= 100_000 { quarantinedTags.removeAll() }
            quarantinedTags.insert(tag)
        }
    }

    /// The first minute with a value for `database`.
    public func firstMinute(of database: RRDDatabase) -> Int64? {
        values[database]?.keys.min()
    }

    private mutating func admit(_ milter: MilterName) -> Bool {
        if milters.contains(milter) { return true }
        guard milters.count < maximumMilters else {
            refusedMilters.insert(milter)
            return false
        }
        milters.insert(milter)
        return true
    }

    private func accepts(_ database: RRDDatabase, _ minute: Int64) -> Bool {
        guard let last = lastUpdates[database] else { return true }
        return minute >= last
    }

    private mutating func add(
        _ database: RRDDatabase, _ minute: Int64, _ index: Int, _ value: Double, merge: DataSource.Merge = .sum
    ) {
        guard accepts(database, minute) else { return }
        values[database, default: [:]][minute, default: Self.zeros(database)][index].merge(value, merge)
    }

    private mutating func addElapsed(_ database: RRDDatabase, _ minute: Int64, _ elapsed: Double) {
        add(database, minute, 0, 1)
        add(database, minute, 1, elapsed)
        add(database, minute, 2, elapsed, merge: .maximum)
    }

    /// Makes sure `database` has the minute (all zeros when nothing else counts in it).
    private mutating func touch(_ database: RRDDatabase, _ minute: Int64) {
        guard accepts(database, minute) else { return }
        values[database, default: [:]][minute, default: Self.zeros(database)][0] += 0
    }

    private static func zeros(_ database: RRDDatabase) -> [Double] {
        [Double](repeating: 0, count: database.dataSources.count)
    }

    private static let smtp = 0
    private static let child = 1
    private static let disconnected = 2
    private static let concurrent = 3
    private static let managerStatusIndex = Dictionary(
        uniqueKeysWithValues: StatusSource.manager.enumerated().map { ($1, $0) })
    private static let milterStatusIndex = Dictionary(
        uniqueKeysWithValues: StatusSource.allCases.enumerated().map { ($1, $0) })
    private static let reportIndex = Dictionary(
        uniqueKeysWithValues: ReportSource.allCases.enumerated().map { ($1, $0) })
}

extension Double {
    fileprivate mutating func merge(_ value: Double, _ merge: DataSource.Merge) {
        switch merge {
        case .sum: self += value
        case .maximum: self = Swift.max(self, value)
        }
    }
}
