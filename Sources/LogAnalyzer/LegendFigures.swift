import Foundation

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
