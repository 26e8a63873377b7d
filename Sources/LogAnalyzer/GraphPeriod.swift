/// The four spans the graphs cover, as the original draws them (runtime.md §6).
public enum GraphPeriod: String, CaseIterable, Hashable, Sendable {
    /// The last day.
    case day
    /// The last 7 days.
    case week
    /// The last 35 days.
    case month
    /// The last 420 days.
    case year

    /// The span in seconds.
    public var seconds: Int64 {
        switch self {
        case .day: return 86400
        case .week: return 7 * 86400
        case .month: return 35 * 86400
        case .year: return 420 * 86400
        }
    }

    /// The seconds of one row of the archives this period's graph reads: whole rows, so that
    /// rrdtool never averages a row of known minutes with unknown ones (which would inflate
    /// the totals), and the graph matches the original's resolution.
    public var rowSeconds: Int64 {
        switch self {
        case .day: return 8 * 60
        case .week: return 56 * 60
        case .month: return 280 * 60
        case .year: return 3360 * 60
        }
    }

    /// How a graph's DEF asks for its rows: the day graph reads single minutes (the most
    /// recent ones show at once), the others whole rows of `rowSeconds`.
    var definitionStep: String { self == .day ? "" : ":step=\(rowSeconds)" }

    /// The right edge of the graph drawn at `now`. rrdtool draws the day's single minutes in
    /// columns of 3 minutes (86400 s over 600 pixels, rounded up to whole minutes) and leaves
    /// out a column that ends after the graph: the edge is moved up to the end of the current
    /// column, so that the last minutes counted show at once. The other periods draw whole
    /// rows, which end before the last update.
    func graphEnd(_ now: Int64) -> Int64 {
        guard self == .day else { return now }
        let column: Int64 = 180
        return (now + column - 1).floorDivided(by: column) * column
    }

    /// The seconds per row of the data the legend figures are computed from.
    var figureStep: Int64 { self == .day ? 60 : rowSeconds }

    /// The section title in index.html.
    public var label: String {
        switch self {
        case .day: return "Last Day"
        case .week: return "Last Week"
        case .month: return "Last Month"
        case .year: return "Last Year"
        }
    }

    /// The archives every RRD file gets: the original's MAX, AVERAGE and LAST rows of 8, 56,
    /// 280 and 3360 minutes (200 rows each, so each period's graph of 600 pixels has a row per
    /// 3 pixels), and ours: a day and an hour of single minutes, for Munin and `rrdtool fetch`.
    public static let archives: [String] = {
        var archives = ["RRA:AVERAGE:0.5:1:1500"]
        for steps in [8, 56, 280, 3360] {
            for function in ["MAX", "AVERAGE", "LAST"] { archives.append("RRA:\(function):0.5:\(steps):200") }
        }
        return archives
    }()

    /// The longest span a file keeps (200 rows of 3360 minutes): older lines cannot be shown.
    public static let keptSeconds: Int64 = 200 * 3360 * 60
}
