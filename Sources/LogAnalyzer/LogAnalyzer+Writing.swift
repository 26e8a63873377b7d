extension LogAnalyzer {
    /// Writes the minutes of `covered` to every file that exists or got lines: zeros where
    /// nothing was counted. New core files start with the log, a new child's files with its
    /// first line, both moved back to the start of an 8-minute row (zeros before), so that the
    /// day graph's rows are whole from the first.
    func write(
        _ buckets: MinuteBuckets, covering covered: Range<Int64>, unusable: Set<RRDDatabase>,
        into summary: inout UpdateSummary
    ) {
        var targets = Set(buckets.lastUpdates.keys).union(buckets.values.keys).union(RRDDatabase.core)
        targets.subtract(unusable)
        for database in targets.sorted() {
            let existing = buckets.lastUpdates[database]
            guard
                var start = existing
                    ?? (database.milter == nil ? covered.lowerBound : buckets.firstMinute(of: database)).map({
                        $0.floorDivided(by: GraphPeriod.day.rowSeconds) * GraphPeriod.day.rowSeconds
                    })
            else { continue }
            start = max(start, covered.upperBound - GraphPeriod.keptSeconds)
            start = start.floorDivided(by: 60) * 60
            guard start < covered.upperBound else { continue }
            let path = directory.file(database.fileName)
            do throws(AnalyzerError) {
                if existing == nil {
                    guard directory.isRegularOrAbsent(database.fileName) == nil else {
                        throw .notRegularFile(path: path)
                    }
                    do {
                        try rrd.create(
                            path, start: start, dataSources: database.dataSources, archives: GraphPeriod.archives)
                    } catch {
                        throw .rrd(error)
                    }
                }
                let minutes = try update(
                    database, path: path, from: start, to: covered.upperBound, buckets.values[database] ?? [:])
                summary.minutesWritten[database] = minutes
            } catch {
                summary.problems.append(error)
            }
        }
    }

    /// Feeds the minutes `start..<end` in batches; returns how many.
    private func update(
        _ database: RRDDatabase, path: String, from start: Int64, to end: Int64, _ values: [Int64: [Double]]
    ) throws(AnalyzerError) -> Int {
        let template = database.dataSources.map(\.name)
        let zeros = [String](repeating: "0", count: template.count).joined(separator: ":")
        var rows: [String] = []
        rows.reserveCapacity(min(Int((end - start) / 60), Self.batch))
        var written = 0
        var minute = start
        while minute < end {
            if let counts = values[minute] {
                rows.append("\(minute + 60):" + counts.map(Self.format).joined(separator: ":"))
            } else {
                rows.append("\(minute + 60):" + zeros)
            }
            minute += 60
            if rows.count == Self.batch || minute >= end {
                do {
                    try rrd.update(path, template: template, rows: rows)
                } catch {
                    throw .rrd(error)
                }
                written += rows.count
                rows.removeAll(keepingCapacity: true)
            }
        }
        return written
    }

    private static let batch = 10_000

    /// `3`, `0.0212`.
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
