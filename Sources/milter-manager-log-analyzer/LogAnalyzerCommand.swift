import ArgumentParser
import Foundation
import LogAnalyzer
import MilterSupport

/// `milter-manager-log-analyzer`: graphs of milter-manager's statistics log lines.
struct LogAnalyzerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "milter-manager-log-analyzer",
        abstract: "Keep RRD files and PNG graphs of milter-manager's statistics log lines.",
        discussion: """
            Reads syslog lines of milter-manager (this one's or the original's; traditional \
            "Jan 21 10:11:12 host milter-manager[PID]:" lines, RFC 3339 ones as Debian 12 writes, \
            and the daemon's own log file "[2024-01-21T10:11:12.123456Z]: ..."), counts the \
            [statistics] lines per minute into RRD files in DIR, and draws graphs of the last \
            day, week, month and year with DIR/index.html showing them.

            Run it from cron every 5 minutes over the whole log: lines already counted and \
            lines of the current minute are skipped, so each run adds only what is new.
            Exit status: 0 when everything was written, 1 when something could not be (each \
            problem is printed), 64 on bad usage.

            FILES
              FILE of --log (default: standard input)
                  the syslog lines read
              DIR of --output-directory (default: .)
                  session.rrd, milter-manager.*.rrd, milter.*.NAME.rrd, the
                  PNG graphs and index.html, written; locked while it runs

            ENVIRONMENT
              TZ
                  the time zone of syslog dates written without one (default:
                  the system's, /etc/localtime)
            """,
        version: "milter-manager-log-analyzer \(ProductVersion.number)")

    @Option(help: ArgumentHelp("Read the log from FILE (default: standard input).", valueName: "FILE"))
    var log: String?

    @Option(
        help: ArgumentHelp("Keep the RRD files, graphs and index.html in DIR (created when missing).", valueName: "DIR")
    )
    var outputDirectory = "."

    @Flag(inversion: .prefixedNo, help: "Count the log into the RRD files (--no-update-db: only draw the graphs).")
    var updateDb = true

    @Option(
        help: ArgumentHelp(
            "Take SECONDS since the epoch as the current time: lines from then on are left for a later run, and syslog dates without a year fall in the year before it (for archived logs).",
            valueName: "SECONDS"))
    var now: Int64?

    @Flag(help: "Print what was read and written.")
    var verbose = false

    func validate() throws {
        if let now, !(0...253_402_300_799).contains(now) {
            throw ValidationError("--now must be seconds since the epoch, from 0 to 253402300799 (the end of 9999)")
        }
    }

    func run() throws {
        let analyzer: LogAnalyzer
        do {
            let directory = try OutputDirectory(outputDirectory)
            let clock = now ?? Int64(Date().timeIntervalSince1970)
            analyzer = LogAnalyzer(directory: directory, now: clock, timeZone: TimeZone.current)
        } catch {
            throw fail([error])
        }
        var problems: [AnalyzerError] = []
        if updateDb {
            do {
                let summary = try withLog { reader throws(AnalyzerError) in try analyzer.update(from: reader) }
                report(summary)
                problems += summary.problems
            } catch {
                throw fail([error])
            }
        }
        let drawn = analyzer.draw()
        problems += drawn.problems
        if verbose {
            say("\(drawn.graphs.count) graphs and index.html in \(analyzer.directory.resolved)")
        }
        if !problems.isEmpty { throw fail(problems) }
    }

    /// Calls `body` with a reader of `--log` or standard input.
    private func withLog(_ body: (LineReader) throws(AnalyzerError) -> UpdateSummary) throws(AnalyzerError)
        -> UpdateSummary
    {
        guard let log, log != "-" else {
            return try body(LineReader(descriptor: STDIN_FILENO, name: "standard input"))
        }
        let descriptor = open(log, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .log(path: log, problem: .cannotOpen(code: errno)) }
        defer { close(descriptor) }
        var info = stat()
        if fstat(descriptor, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR {
            throw .log(path: log, problem: .isDirectory)
        }
        return try body(LineReader(descriptor: descriptor, name: log))
    }

    /// Warnings about the log (malformed lines, refused milters); the figures with --verbose.
    private func report(_ summary: UpdateSummary) {
        let name = log ?? "standard input"
        for example in summary.malformed {
            say("\(name):\(example.line): \(example.error)")
        }
        if summary.malformedCount > summary.malformed.count {
            say("\(name): \(summary.malformedCount - summary.malformed.count) more statistics lines not understood")
        }
        if summary.tooLong > 0 {
            say("\(name): \(summary.tooLong) lines longer than 65536 bytes skipped")
        }
        if !summary.refusedMilters.isEmpty {
            say(
                "milters beyond the 64 the directory keeps files for, not graphed: "
                    + summary.refusedMilters.map(\.text).joined(separator: ", "))
        }
        guard verbose else { return }
        let minutes = summary.minutesWritten.values.max() ?? 0
        say(
            "\(name): \(summary.lines) lines, \(summary.counted) statistics lines counted, \(summary.old) already "
                + "counted or too old, \(summary.truncated) cut short by syslog, \(summary.future) left for a later run (current minute), "
                + "\(summary.unrecognized) without a time; \(minutes) minutes written to \(summary.minutesWritten.count) files"
        )
    }

    private func fail(_ errors: [AnalyzerError]) -> ExitCode {
        for error in errors { say(error.description) }
        return ExitCode.failure
    }

    private func say(_ line: String) {
        StandardStream.error.writeLine("milter-manager-log-analyzer: \(line)")
    }
}
