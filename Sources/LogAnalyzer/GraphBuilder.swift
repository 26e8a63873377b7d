import Foundation

/// The `rrdtool graph` arguments of every graph (runtime.md §6, the original's titles, labels
/// and colours): per period, the manager's statuses, reports and elapsed times, then each
/// child's statuses and reports.
public struct GraphBuilder: Sendable {
    /// The output directory (where the RRD files are), resolved.
    public var directory: String
    /// The end of every graph, seconds since the epoch.
    public var now: Int64
    /// The zone of the axis and the "last update" stamp.
    public var timeZone: TimeZone

    /// A builder.
    public init(directory: String, now: Int64, timeZone: TimeZone) {
        self.directory = directory
        self.now = now
        self.timeZone = timeZone
    }

    /// The graphs of `period` for the files that exist, with the last update of `session.rrd`
    /// (or any file) written in the corner.
    public func graphs(existing: Set<RRDDatabase>, lastUpdate: Int64?, period: GraphPeriod) -> [GraphDefinition] {
        var graphs: [GraphDefinition] = []
        let lines = existing.contains(.session) ? sessionLines() : []
        if existing.contains(.managerStatus) {
            graphs.append(
                graph(
                    "milter-manager.status", "milter manager: status", period, lastUpdate,
                    statusAreas(.managerStatus, StatusSource.manager) + lines))
        }
        if existing.contains(.managerReport) {
            graphs.append(graph("milter-manager.report", "milter manager: report", period, lastUpdate, reportAreas(.managerReport), unit: "mails"))
        }
        if existing.contains(.managerElapsed) {
            let milters = existing.compactMap { database -> MilterName? in
                if case .milterElapsed(let name) = database { return name }
                return nil
            }.sorted()
            graphs.append(elapsedGraph(period, lastUpdate, milters: milters))
        }
        let milters = Set(existing.compactMap(\.milter)).sorted()
        for milter in milters {
            if existing.contains(.milterStatus(milter)) {
                graphs.append(
                    graph(
                        "milter.status.\(milter)", "milter: status: \(milter)", period, lastUpdate,
                        statusAreas(.milterStatus(milter), StatusSource.allCases) + lines))
            }
            if existing.contains(.milterReport(milter)) {
                graphs.append(
                    graph(
                        "milter.report.\(milter)", "milter: report: \(milter)", period, lastUpdate,
                        reportAreas(.milterReport(milter)), unit: "mails"))
            }
        }
        return graphs
    }

    private func statusAreas(_ database: RRDDatabase, _ sources: [StatusSource]) -> [GraphSeries] {
        sources.enumerated().map { index, source in
            GraphSeries(
                file: path(database), dataSource: source.rawValue, label: source.label, colour: source.colour,
                style: index == 0 ? .area : .stack)
        }
    }

    private func reportAreas(_ database: RRDDatabase) -> [GraphSeries] {
        ReportSource.graphOrder.enumerated().map { index, source in
            GraphSeries(
                file: path(database), dataSource: source.rawValue, label: source.label, colour: source.colour,
                style: index == 0 ? .area : .stack)
        }
    }

    /// SMTP sessions, disconnections and concurrency from session.rrd, drawn over the areas.
    private func sessionLines() -> [GraphSeries] {
        [
            GraphSeries(file: path(.session), dataSource: "smtp", label: "SMTP", colour: "#000000", style: .line),
            GraphSeries(
                file: path(.session), dataSource: "disconnected", label: "Disconnected", colour: "#999999",
                style: .dashedLine),
            GraphSeries(
                file: path(.session), dataSource: "concurrent", label: "Concurrent", colour: "#9999ff", style: .line),
        ]
    }

    private func graph(
        _ base: String, _ title: String, _ period: GraphPeriod, _ lastUpdate: Int64?, _ series: [GraphSeries],
        unit: String = "sessions"
    ) -> GraphDefinition {
        let width = series.map(\.label.count).max() ?? 0
        var arguments = header(title: title, label: "\(unit)/min", period: period)
        for (index, item) in series.enumerated() {
            arguments += item.countArguments(id: "s\(index)", labelWidth: width, unit: unit, period: period)
        }
        arguments += footer(lastUpdate)
        return GraphDefinition(fileName: "\(base).\(period.rawValue).png", title: title, period: period, arguments: arguments)
    }

    /// Average and longest session, and each child's average wait per session, in seconds.
    private func elapsedGraph(_ period: GraphPeriod, _ lastUpdate: Int64?, milters: [MilterName]) -> GraphDefinition {
        let title = "milter manager: elapsed time"
        var labels = ["Session (avg)", "Session (max)"] + milters.map { "\($0) (avg)" }
        let width = labels.map(\.count).max() ?? 0
        labels = labels.map { $0.padding(toLength: width, withPad: " ", startingAt: 0) }
        var arguments = header(title: title, label: "seconds", period: period, logarithmic: true)
        let manager = escape(path(.managerElapsed))
        let step = ":step=\(period.rowSeconds)"
        arguments += [
            "DEF:count=\(manager):count:AVERAGE\(step)", "DEF:total=\(manager):total:AVERAGE\(step)",
            "DEF:longest=\(manager):max:MAX\(step)", "CDEF:average=total,count,/",
            "VDEF:average_all=average,AVERAGE", "VDEF:longest_all=longest,MAXIMUM",
            "AREA:average#99ccff:\(escapeText(labels[0]))", "GPRINT:average_all:avg\\: %8.3lf s\\l",
            "LINE1:longest#0033cc:\(escapeText(labels[1]))", "GPRINT:longest_all:max\\: %8.3lf s\\l",
        ]
        for (index, milter) in milters.enumerated() {
            let file = escape(path(.milterElapsed(milter)))
            let colour = Self.palette[index % Self.palette.count]
            arguments += [
                "DEF:m\(index)count=\(file):count:AVERAGE\(step)", "DEF:m\(index)total=\(file):total:AVERAGE\(step)",
                "CDEF:m\(index)=m\(index)total,m\(index)count,/", "VDEF:m\(index)all=m\(index),AVERAGE",
                "LINE2:m\(index)\(colour):\(escapeText(labels[index + 2]))", "GPRINT:m\(index)all:avg\\: %8.3lf s\\l",
            ]
        }
        arguments += footer(lastUpdate)
        return GraphDefinition(
            fileName: "milter-manager.elapsed.\(period.rawValue).png", title: title, period: period, arguments: arguments)
    }

    /// Distinct line colours for the children.
    static let palette = ["#e6194b", "#3cb44b", "#f58231", "#911eb4", "#008080", "#9a6324", "#800000", "#000075"]

    private func header(title: String, label: String, period: GraphPeriod, logarithmic: Bool = false) -> [String] {
        var arguments = [
            "--imgformat", "PNG", "--title", title, "--vertical-label", label,
            "--start", String(now - period.seconds), "--end", String(now), "--width", "600", "--height", "200",
            "--font", "LEGEND:8:DejaVu Sans Mono", "--font", "TITLE:10:DejaVu Sans",
        ]
        if logarithmic {
            // Milliseconds of a child next to minutes of a slow session: each decade readable.
            arguments += ["--logarithmic", "--units=si", "--lower-limit", "0.001"]
        } else {
            arguments += ["--alt-y-grid", "--units-exponent", "0", "--lower-limit", "0"]
        }
        return arguments
    }

    private func footer(_ lastUpdate: Int64?) -> [String] {
        guard let lastUpdate else { return ["COMMENT:[no data yet]\\r"] }
        return ["COMMENT:[last update \(escapeText(stamp(lastUpdate)))]\\r"]
    }

    /// `2024-01-21 10:11 +0100` in the graph's zone.
    func stamp(_ seconds: Int64) -> String {
        let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
        let local = seconds + Int64(offset)
        let date = CivilCalendar.date(daysSinceEpoch: Int(local.floorDivided(by: 86400)))
        let secondOfDay = Int(local - local.floorDivided(by: 86400) * 86400)
        let sign = offset < 0 ? "-" : "+"
        return String(
            format: "%04d-%02d-%02d %02d:%02d %@%02d%02d", date.year, date.month, date.day, secondOfDay / 3600,
            secondOfDay % 3600 / 60, sign, abs(offset) / 3600, abs(offset) % 3600 / 60)
    }

    private func path(_ database: RRDDatabase) -> String {
        directory + "/" + database.fileName
    }
}

/// A colon in a file name or a text written into a graph element is escaped with `\`.
func escape(_ text: String) -> String { text.replacingOccurrences(of: ":", with: "\\:") }

/// A legend text: colons escaped, `%` and `\` written out literally.
func escapeText(_ text: String) -> String {
    escape(text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "%%"))
}
