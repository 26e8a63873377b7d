import Foundation

/// The `rrdtool graph` arguments of every graph (runtime.md §6, the original's titles, labels
/// and colours): per period, the manager's statuses, reports and elapsed times, then each
/// child's statuses and reports. The legend figures are read from the files here.
public struct GraphBuilder: Sendable {
    /// The output directory (where the RRD files are), resolved.
    public var directory: String
    /// The end of every graph, seconds since the epoch.
    public var now: Int64
    /// The zone of the axis and the "last update" stamp.
    public var timeZone: TimeZone
    /// librrd, for the legend figures.
    public var rrd: RRDTool

    /// A builder.
    public init(directory: String, now: Int64, timeZone: TimeZone, rrd: RRDTool = RRDTool()) {
        self.directory = directory
        self.now = now
        self.timeZone = timeZone
        self.rrd = rrd
    }

    /// The graphs of `period` for the files that exist, with the last update of `session.rrd`
    /// (or any file) written in the corner.
    public func graphs(existing: Set<RRDDatabase>, lastUpdate: Int64?, period: GraphPeriod) -> [GraphDefinition] {
        var graphs: [GraphDefinition] = []
        let lines = existing.contains(.session) ? sessionLines() : []
        if existing.contains(.managerStatus) {
            graphs.append(
                countGraph(
                    "milter-manager.status", "milter manager: status", period, lastUpdate,
                    statusAreas(.managerStatus, StatusSource.manager) + lines))
        }
        if existing.contains(.managerReport) {
            graphs.append(
                countGraph(
                    "milter-manager.report", "milter manager: report", period, lastUpdate,
                    reportAreas(.managerReport), unit: "mails"))
        }
        if existing.contains(.managerElapsed) {
            let milters = existing.compactMap { database -> MilterName? in
                if case .milterElapsed(let name) = database { return name }
                return nil
            }
            graphs.append(elapsedGraph(period, lastUpdate, milters: milters.sorted()))
        }
        for milter in Set(existing.compactMap(\.milter)).sorted() {
            if existing.contains(.milterStatus(milter)) {
                graphs.append(
                    countGraph(
                        "milter.status.\(milter)", "milter: status: \(milter)", period, lastUpdate,
                        statusAreas(.milterStatus(milter), StatusSource.allCases) + lines))
            }
            if existing.contains(.milterReport(milter)) {
                graphs.append(
                    countGraph(
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
        let file = path(.session)
        return [
            GraphSeries(file: file, dataSource: "smtp", label: "SMTP", colour: "#000000", style: .line),
            GraphSeries(
                file: file, dataSource: "disconnected", label: "Disconnected", colour: "#999999", style: .dashedLine),
            GraphSeries(
                file: file, dataSource: "concurrent", label: "Concurrent", colour: "#9999ff", style: .line,
                countsEvents: false),
        ]
    }

    private func countGraph(
        _ base: String, _ title: String, _ period: GraphPeriod, _ lastUpdate: Int64?, _ series: [GraphSeries],
        unit: String = "sessions"
    ) -> GraphDefinition {
        let width = series.map(\.label.count).max() ?? 0
        var arguments = header(title: title, label: "\(unit)/min", period: period)
        for (index, item) in series.enumerated() {
            let figures = LegendFigures(
                average: values(item.file, item.dataSource, "AVERAGE", period), step: period.figureStep,
                maximum: values(item.file, item.dataSource, "MAX", period))
            arguments += item.countArguments(
                id: "s\(index)", labelWidth: width, unit: unit, period: period, figures: figures)
        }
        arguments += footer(lastUpdate)
        return GraphDefinition(
            fileName: "\(base).\(period.rawValue).png", title: title, period: period, arguments: arguments)
    }

    /// Average and longest session, and each child's average wait per session, in seconds, on
    /// a logarithmic axis (milliseconds of a child next to minutes of a slow session).
    private func elapsedGraph(_ period: GraphPeriod, _ lastUpdate: Int64?, milters: [MilterName]) -> GraphDefinition {
        let title = "milter manager: elapsed time"
        let labels = ["Session (avg)", "Session (max)"] + milters.map { "\($0) (avg)" }
        let width = labels.map(\.count).max() ?? 0
        func label(_ index: Int) -> String {
            escapeText(labels[index].padding(toLength: width, withPad: " ", startingAt: 0))
        }
        var arguments = header(title: title, label: "seconds", period: period, logarithmic: true)
        let step = period.definitionStep
        let manager = path(.managerElapsed)
        arguments += [
            "DEF:count=\(escape(manager)):count:AVERAGE\(step)", "DEF:total=\(escape(manager)):total:AVERAGE\(step)",
            "DEF:longest=\(escape(manager)):max:MAX\(step)", "CDEF:average=total,count,/",
            "AREA:average#99ccff:\(label(0))", "COMMENT:\(escapeText(averageText(manager, period)))\\l",
            "LINE1:longest#0033cc:\(label(1))",
            "COMMENT:\(escapeText(maximumText(manager, period)))\\l",
        ]
        for (index, milter) in milters.enumerated() {
            let file = path(.milterElapsed(milter))
            let colour = Self.palette[index % Self.palette.count]
            arguments += [
                "DEF:m\(index)count=\(escape(file)):count:AVERAGE\(step)",
                "DEF:m\(index)total=\(escape(file)):total:AVERAGE\(step)",
                "CDEF:m\(index)=m\(index)total,m\(index)count,/", "LINE2:m\(index)\(colour):\(label(index + 2))",
                "COMMENT:\(escapeText(averageText(file, period)))\\l",
            ]
        }
        arguments += footer(lastUpdate)
        return GraphDefinition(
            fileName: "milter-manager.elapsed.\(period.rawValue).png", title: title, period: period,
            arguments: arguments)
    }

    /// `avg: 0.123 s`: total seconds over sessions counted, in the period.
    private func averageText(_ file: String, _ period: GraphPeriod) -> String {
        let count = values(file, "count", "AVERAGE", period).reduce(0, +)
        let total = values(file, "total", "AVERAGE", period).reduce(0, +)
        return count > 0 ? String(format: "avg: %9.3f s", total / count) : "avg:         - s"
    }

    /// `max: 12.345 s`: the longest in the period.
    private func maximumText(_ file: String, _ period: GraphPeriod) -> String {
        let longest = (values(file, "max", "AVERAGE", period) + values(file, "max", "MAX", period)).max()
        return longest.map { String(format: "max: %9.3f s", $0) } ?? "max:         - s"
    }

    /// The known values of `dataSource` over `period` (unreadable files give none).
    private func values(_ file: String, _ dataSource: String, _ function: String, _ period: GraphPeriod) -> [Double] {
        let step = function == "MAX" ? period.rowSeconds : period.figureStep
        guard
            let rows = try? rrd.fetch(
                file, function: function, start: now - period.seconds, end: now, step: step)
        else { return [] }
        // A file without single minutes (made by the original) answers with its 8-minute rows.
        guard rows.step == step || function == "MAX" else {
            return rows.values(dataSource).flatMap { [Double](repeating: $0, count: Int(rows.step / step)) }
        }
        return rows.values(dataSource)
    }

    /// Distinct line colours for the children.
    static let palette = ["#e6194b", "#3cb44b", "#f58231", "#911eb4", "#008080", "#9a6324", "#800000", "#000075"]

    private func header(title: String, label: String, period: GraphPeriod, logarithmic: Bool = false) -> [String] {
        let end = period.graphEnd(now)
        var arguments = [
            "--imgformat", "PNG", "--title", title, "--vertical-label", label,
            "--start", String(end - period.seconds), "--end", String(end), "--width", "600", "--height", "200",
            "--font", "LEGEND:8:DejaVu Sans Mono", "--font", "TITLE:10:DejaVu Sans",
        ]
        if logarithmic {
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
        return String(
            format: "%04d-%02d-%02d %02d:%02d %@%02d%02d", date.year, date.month, date.day, secondOfDay / 3600,
            secondOfDay % 3600 / 60, offset < 0 ? "-" : "+", abs(offset) / 3600, abs(offset) % 3600 / 60)
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
