/// What `rrd_fetch` returns: rows of values (NaN when unknown), one column per data source.
public struct RRDRows: Hashable, Sendable {
    /// librrd's `start`: the first row ends one `step` after it.
    public var start: Int64
    /// Seconds per row.
    public var step: Int64
    /// The data source names.
    public var names: [String]
    /// The values.
    public var rows: [[Double]]

    /// The known values of data source `name`.
    public func values(_ name: String) -> [Double] {
        guard let column = names.firstIndex(of: name) else { return [] }
        return rows.map { $0[column] }.filter { !$0.isNaN }
    }
}
