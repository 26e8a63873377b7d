/// One data source drawn in a count graph (per minute), with its legend row: the total over
/// the period, the average and the largest minute.
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

    /// DEF/CDEF/VDEF, the drawing element and the legend row, with variables named from `id`.
    func countArguments(id: String, labelWidth: Int, unit: String, period: GraphPeriod) -> [String] {
        let file = escape(self.file)
        let label = escapeText(self.label.padding(toLength: labelWidth, withPad: " ", startingAt: 0))
        let element: String
        switch style {
        case .area: element = "AREA:\(id)\(colour):\(label)"
        case .stack: element = "AREA:\(id)\(colour):\(label):STACK"
        case .line: element = "LINE2:\(id)\(colour):\(label)"
        case .dashedLine: element = "LINE2:\(id)\(colour):\(label):dashes"
        }
        return [
            "DEF:\(id)=\(file):\(dataSource):AVERAGE:step=\(period.rowSeconds)",
            "DEF:\(id)max=\(file):\(dataSource):MAX:step=\(period.rowSeconds)",
            // A value per minute; TOTAL multiplies by seconds.
            "CDEF:\(id)persecond=\(id),60,/",
            "VDEF:\(id)total=\(id)persecond,TOTAL",
            "VDEF:\(id)average=\(id),AVERAGE",
            "VDEF:\(id)largest=\(id)max,MAXIMUM",
            element,
            "GPRINT:\(id)total:total\\: %8.0lf \(unit)",
            "GPRINT:\(id)average:avg\\: %6.2lf \(unit)/min",
            "GPRINT:\(id)largest:max\\: %4.0lf \(unit)/min\\l",
        ]
    }
}
