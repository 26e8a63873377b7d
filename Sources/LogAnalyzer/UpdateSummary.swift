/// What one update run read and wrote.
public struct UpdateSummary: Hashable, Sendable {
    /// Lines read.
    public var lines = 0
    /// Statistics lines counted into the files.
    public var counted = 0
    /// Lines already in the files (before the oldest last update) or too old to keep.
    public var old = 0
    /// Lines of the current minute or later: left for a later run.
    public var future = 0
    /// Lines with no time we can read (other formats, garbage, binary).
    public var unrecognized = 0
    /// Lines longer than the reader's limit, skipped.
    public var tooLong = 0
    /// Header lines cut short by syslog's length limit (not graphed, not warned about).
    public var truncated = 0
    /// Statistics lines of a graphed kind that did not follow its format.
    public var malformedCount = 0
    /// The first few of them, with their line numbers.
    public var malformed: [MalformedLine] = []
    /// Children refused because the directory has files for the most it keeps.
    public var refusedMilters: [MilterName] = []
    /// Minutes written, per file.
    public var minutesWritten: [RRDDatabase: Int] = [:]
    /// Files that could not be read or updated (the others were).
    public var problems: [AnalyzerError] = []

    /// A summary with nothing in it.
    public init() {}

    /// How many malformed lines are kept as examples.
    public static let malformedExamples = 5
}
