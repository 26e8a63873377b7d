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
