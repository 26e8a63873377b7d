/// One PNG graph: its file name, its title (for index.html) and its `rrdtool graph` arguments.
public struct GraphDefinition: Hashable, Sendable {
    /// The file name in the output directory (`milter-manager.status.day.png`).
    public var fileName: String
    /// The title drawn on it.
    public var title: String
    /// The period it covers.
    public var period: GraphPeriod
    /// The arguments after `rrdtool graph FILE`.
    public var arguments: [String]

    /// A graph.
    public init(fileName: String, title: String, period: GraphPeriod, arguments: [String]) {
        self.fileName = fileName
        self.title = title
        self.period = period
        self.arguments = arguments
    }
}
