import Foundation

/// One data source drawn in a count graph (per minute), with its legend row: the total over
/// the period, the average per minute and the largest minute.
struct GraphSeries: Hashable, Sendable {
    /// The RRD file.
    var file: String
    /// The data source.
    var dataSource: String
    /// The legend label.
    var label: String
    /// `#rrggbb`.
    var colour: String
    /// How it is drawn.
    var style: Style
    /// Whether the values count events (a total makes sense), not a level such as concurrency.
    var countsEvents = true

    /// Drawing styles.
    enum Style: Hashable, Sendable {
        /// The first area.
        case area
        /// An area on top of the previous ones.
        case stack
        /// A line over the areas.
        case line
        /// A dashed line over the areas.
        case dashedLine
    }

    /// The DEF, the drawing element and the legend row (`figures` written as text: rrdtool's
    /// own totals average rows of known and unknown minutes together and come out wrong at
    /// the edges of the data), with the variable named `id`.
    func countArguments(id: String, labelWidth: Int, unit: String, period: GraphPeriod, figures: LegendFigures)
        -> [String]
    {
        let label = escapeText(self.label.padding(toLength: labelWidth, withPad: " ", startingAt: 0))
        let element: String
        switch style {
        case .area: element = "AREA:\(id)\(colour):\(label)"
        case .stack: element = "AREA:\(id)\(colour):\(label):STACK"
        case .line: element = "LINE2:\(id)\(colour):\(label)"
        case .dashedLine: element = "LINE2:\(id)\(colour):\(label):dashes"
        }
        let total = countsEvents ? figures.text(\.total, "%8.0f") : "       -"
        let legend =
            "total: \(total) \(unit)  avg: \(figures.text(\.average, "%6.2f")) \(unit)/min  "
            + "max: \(figures.text(\.maximum, "%4.0f")) \(unit)/min"
        return [
            "DEF:\(id)=\(escape(file)):\(dataSource):AVERAGE\(period.definitionStep)", element,
            "COMMENT:\(escapeText(legend))\\l",
        ]
    }
}

/// The legend numbers of one data source over a period.
struct LegendFigures: Hashable, Sendable {
    /// The sum over the period (events).
    var total: Double
    /// Per minute, over the minutes known.
    var average: Double
    /// The largest minute.
    var maximum: Double

    /// Figures from the rows of a period: `average` rows (per-minute values) of `step` seconds
    /// and the `maximum` rows of the same source.
    init(average rows: [Double], step: Int64, maximum largest: [Double]) {
        total = rows.reduce(0, +) * Double(step) / 60
        average = rows.isEmpty ? .nan : rows.reduce(0, +) / Double(rows.count)
        maximum = (rows + largest).max() ?? .nan
    }

    /// A figure formatted with `format`, or `-` padded to the same width when unknown.
    func text(_ figure: KeyPath<LegendFigures, Double>, _ format: String) -> String {
        let value = self[keyPath: figure]
        let formatted = String(format: format, value.isNaN ? 0 : value)
        return value.isNaN ? String(repeating: " ", count: max(0, formatted.count - 1)) + "-" : formatted
    }
}
