/// One RRD file the analyzer keeps, named and laid out as the original's analyzer does
/// (runtime.md §6) so that its Munin plugins and an admin's own tools read ours, plus the
/// elapsed-time files that are ours.
public enum RRDDatabase: Hashable, Comparable, Sendable {
    /// `session.rrd`: sessions, child sessions, disconnections, concurrency.
    case session
    /// `milter-manager.status.rrd`: final statuses of the manager's sessions.
    case managerStatus
    /// `milter-manager.report.rrd`: what all milters reported through headers.
    case managerReport
    /// `milter-manager.elapsed.rrd`: how long sessions took (ours).
    case managerElapsed
    /// `milter.status.NAME.rrd`: one child's statuses.
    case milterStatus(MilterName)
    /// `milter.report.NAME.rrd`: what one child reported.
    case milterReport(MilterName)
    /// `milter.elapsed.NAME.rrd`: time spent waiting for one child (ours).
    case milterElapsed(MilterName)

    /// The four files every output directory has.
    public static let core: [RRDDatabase] = [.session, .managerStatus, .managerReport, .managerElapsed]

    /// The three files of a child.
    public static func files(of milter: MilterName) -> [RRDDatabase] {
        [.milterStatus(milter), .milterReport(milter), .milterElapsed(milter)]
    }

    /// The file name in the output directory.
    public var fileName: String {
        switch self {
        case .session: return "session.rrd"
        case .managerStatus: return "milter-manager.status.rrd"
        case .managerReport: return "milter-manager.report.rrd"
        case .managerElapsed: return "milter-manager.elapsed.rrd"
        case .milterStatus(let name): return "milter.status.\(name).rrd"
        case .milterReport(let name): return "milter.report.\(name).rrd"
        case .milterElapsed(let name): return "milter.elapsed.\(name).rrd"
        }
    }

    /// The file a directory entry is, or nil for any other name.
    public init?(fileName: String) {
        if let core = Self.core.first(where: { $0.fileName == fileName }) {
            self = core
            return
        }
        guard fileName.hasPrefix("milter."), fileName.hasSuffix(".rrd") else { return nil }
        let middle = fileName.dropFirst("milter.".count).dropLast(".rrd".count)
        guard let dot = middle.firstIndex(of: "."), let name = MilterName(String(middle[middle.index(after: dot)...]))
        else { return nil }
        switch middle[..<dot] {
        case "status": self = .milterStatus(name)
        case "report": self = .milterReport(name)
        case "elapsed": self = .milterElapsed(name)
        default: return nil
        }
    }

    /// The child a per-milter file belongs to.
    public var milter: MilterName? {
        switch self {
        case .session, .managerStatus, .managerReport, .managerElapsed: return nil
        case .milterStatus(let name), .milterReport(let name), .milterElapsed(let name): return name
        }
    }

    /// The data sources, in file order.
    public var dataSources: [DataSource] {
        switch self {
        case .session:
            return [
                DataSource("smtp"), DataSource("child"), DataSource("disconnected"),
                DataSource("concurrent", merge: .maximum),
            ]
        case .managerStatus: return StatusSource.manager.map { DataSource($0.rawValue) }
        case .milterStatus: return StatusSource.allCases.map { DataSource($0.rawValue) }
        case .managerReport, .milterReport: return ReportSource.allCases.map { DataSource($0.rawValue) }
        case .managerElapsed, .milterElapsed:
            return [DataSource("count"), DataSource("total"), DataSource("max", merge: .maximum)]
        }
    }

    /// Sort order: core files first, then by milter and kind.
    public static func < (lhs: RRDDatabase, rhs: RRDDatabase) -> Bool {
        lhs.sortKey.lexicographicallyPrecedes(rhs.sortKey)
    }

    private var sortKey: [String] {
        switch self {
        case .session: return ["0"]
        case .managerStatus: return ["1"]
        case .managerReport: return ["2"]
        case .managerElapsed: return ["3"]
        case .milterStatus(let name): return ["4", name.text, "0"]
        case .milterReport(let name): return ["4", name.text, "1"]
        case .milterElapsed(let name): return ["4", name.text, "2"]
        }
    }
}
