/// Collects table errors with their file, up to a limit.
struct TableErrors {
    /// The most errors listed for one table.
    static let limit = 20

    let file: String
    private(set) var all: [ConfigurationError] = []
    private var errorCount = 0

    init(file: String) { self.file = file }

    /// Records `problem` at `line`; past the limit, one `tooManyErrors` and nothing more.
    mutating func add(_ problem: PostfixTableProblem, line: Int) {
        if !problem.isWarning { errorCount += 1 }
        if errorCount > Self.limit {
            if errorCount == Self.limit + 1 {
                all.append(
                    ConfigurationError(
                        .invalidTable(.tooManyErrors(limit: Self.limit)), at: SourceLocation(file: file, line: line)))
            }
            return
        }
        all.append(ConfigurationError(.invalidTable(problem), at: SourceLocation(file: file, line: line)))
    }

    /// Whether an error (not a warning) was recorded.
    var hasErrors: Bool { errorCount > 0 }
}
