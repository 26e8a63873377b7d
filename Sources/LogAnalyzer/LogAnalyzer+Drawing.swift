extension LogAnalyzer {
    /// What drawing produced.
    public struct DrawSummary: Hashable, Sendable {
        /// The graphs written.
        public var graphs: [GraphDefinition] = []
        /// Graphs or files that could not be written.
        public var problems: [AnalyzerError] = []
    }

    /// Draws every graph of every period for the files in the directory and writes index.html.
    public func draw() -> DrawSummary {
        var summary = DrawSummary()
        let existing = Set(directory.databases().found)
        var lastUpdate: Int64?
        for database in [RRDDatabase.session] + existing.sorted() where existing.contains(database) {
            if let last = try? rrd.lastUpdate(directory.file(database.fileName)) {
                lastUpdate = last
                break
            }
        }
        let builder = GraphBuilder(directory: directory.resolved, now: now, timeZone: timeZone, rrd: rrd)
        for period in GraphPeriod.allCases {
            for graph in builder.graphs(existing: existing, lastUpdate: lastUpdate, period: period) {
                do throws(AnalyzerError) {
                    let image: [UInt8]
                    do {
                        image = try rrd.graph(graph.arguments, name: directory.file(graph.fileName))
                    } catch {
                        throw .rrd(error)
                    }
                    try directory.write(image, as: graph.fileName)
                    summary.graphs.append(graph)
                } catch {
                    summary.problems.append(error)
                }
            }
        }
        let html = IndexPage.html(graphs: summary.graphs, lastUpdate: lastUpdate.map(builder.stamp))
        do {
            try directory.write(Array(html.utf8), as: "index.html")
        } catch {
            summary.problems.append(error)
        }
        return summary
    }
}
