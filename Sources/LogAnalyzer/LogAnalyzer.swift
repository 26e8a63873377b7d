import Foundation

/// milter-manager-log-analyzer's work: read a log, count its statistics lines per minute into
/// the RRD files of the output directory, draw the graphs and write index.html.
///
/// Incremental as the original: lines before the oldest last update of the files are skipped
/// (each file also takes only minutes after its own last update), and lines of the current
/// minute or later are left for the next run, since an RRD file refuses to go back in time.
/// Unlike the original, lines need not be in order within a run, and every file is brought up
/// to the end of what the log covers (its last line of any program) with zeros where nothing
/// happened, so that the graphs of a quiet hour show zero rather than a gap.
public struct LogAnalyzer {
    /// The output directory, opened and locked.
    public let directory: OutputDirectory
    /// The current time, seconds since the epoch.
    public let now: Int64
    /// The zone of traditional syslog times and of the graphs.
    public let timeZone: TimeZone
    /// librrd.
    public let rrd: RRDTool

    /// An analyzer for `directory` at `now`.
    public init(directory: OutputDirectory, now: Int64, timeZone: TimeZone, rrd: RRDTool = RRDTool()) {
        self.directory = directory
        self.now = now
        self.timeZone = timeZone
        self.rrd = rrd
    }

    /// Reads every line of `reader` and updates the files.
    public func update(from reader: LineReader) throws(AnalyzerError) -> UpdateSummary {
        var summary = UpdateSummary()
        let (found, notRegular) = directory.databases()
        summary.problems += notRegular.map { AnalyzerError.notRegularFile(path: $0) }
        var lastUpdates: [RRDDatabase: Int64] = [:]
        var unusable: Set<RRDDatabase> = []
        for database in found {
            do {
                let path = directory.file(database.fileName)
                lastUpdates[database] = try rrd.lastUpdate(path)
                let names = try rrd.dataSourceNames(path)
                let missing = database.dataSources.filter { !names.contains($0.name) }
                if !missing.isEmpty { try rrd.addDataSources(path, missing) }
            } catch {
                summary.problems.append(.rrd(error))
                unusable.insert(database)
                lastUpdates[database] = nil
            }
        }
        let currentMinute = now.floorDivided(by: 60) * 60
        let oldest = currentMinute - GraphPeriod.keptSeconds
        let lowerBound = max(lastUpdates.values.min() ?? oldest, oldest)
        var buckets = MinuteBuckets(lastUpdates: lastUpdates)
        var resolver = LocalTimeResolver(now: now, timeZone: timeZone)
        var coverage: ClosedRange<Int64>?
        var held: HeldLine?
        var number = 0

        func count(_ line: HeldLine) {
            do throws(StatisticsLineError) {
                guard let event = try StatisticsLineParser.parse(line.payload[...]) else { return }
                summary.counted += 1
                buckets.record(event, at: line.seconds)
            } catch {
                if error.problem == .truncated {
                    summary.truncated += 1
                    return
                }
                summary.malformedCount += 1
                if summary.malformed.count < UpdateSummary.malformedExamples {
                    summary.malformed.append(MalformedLine(line: line.number, error: error))
                }
            }
        }

        try reader.forEachLine { bytes in
            number += 1
            summary.lines += 1
            guard let bytes else {
                summary.tooLong += 1
                return
            }
            // A header value with a newline, as the daemon's own log file writes it: the
            // following lines start with a blank and belong to the held statistics line.
            if var line = held, let first = bytes.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
                if line.payload.count + bytes.count < reader.maximumLength {
                    line.payload.append(UInt8(ascii: "\n"))
                    line.payload.append(contentsOf: bytes)
                    held = line
                }
                return
            }
            if let line = held {
                count(line)
                held = nil
            }
            let parsed = LogLineParser.parse(bytes)
            let time: LineTime
            switch parsed {
            case .unrecognized:
                summary.unrecognized += 1
                return
            case .statistics(let lineTime, _), .other(let lineTime):
                time = lineTime
            }
            guard let seconds = resolver.seconds(time) else {
                summary.unrecognized += 1
                return
            }
            if seconds >= currentMinute {
                summary.future += 1
                return
            }
            if seconds < lowerBound {
                summary.old += 1
                return
            }
            let minute = seconds.floorDivided(by: 60) * 60
            coverage = coverage.map { min($0.lowerBound, minute)...max($0.upperBound, minute) } ?? minute...minute
            if case .statistics(_, let payload) = parsed {
                held = HeldLine(seconds: seconds, payload: Array(payload), number: number)
            }
        }
        if let line = held { count(line) }
        summary.refusedMilters = buckets.refusedMilters.sorted()
        if let coverage {
            write(
                buckets, covering: coverage.lowerBound..<(coverage.upperBound + 60), unusable: unusable, into: &summary)
        }
        return summary
    }

    /// A statistics line waiting for continuation lines.
    private struct HeldLine {
        var seconds: Int64
        var payload: [UInt8]
        var number: Int
    }
}
