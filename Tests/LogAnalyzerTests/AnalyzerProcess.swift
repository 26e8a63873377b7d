import Foundation
import MilterTestSupport

/// The built milter-manager-log-analyzer and `rrdtool fetch` on what it wrote.
enum AnalyzerProcess {
    /// Runs the analyzer with `arguments` in zone `zone`; standard input from `input`.
    static func run(_ arguments: [String], zone: String = "UTC", input: Data? = nil) throws -> (
        status: Int32, output: String, error: String
    ) {
        try Subprocess.capture(
            try TestPaths.product("milter-manager-log-analyzer").path, arguments, environment: ["TZ": zone],
            input: input)
    }

    /// The rows of `file` between `start` and `end` (by default the single-minute archive), by
    /// data source; unknown values are left out.
    static func fetch(_ file: URL, start: Int64, end: Int64, resolution: Int64 = 60) throws -> [Int64: [String: Double]]
    {
        let result = try Subprocess.capture(
            "/usr/bin/rrdtool",
            ["fetch", file.path, "AVERAGE", "-r", String(resolution), "-s", String(start), "-e", String(end)])
        guard result.status == 0 else { throw TestSupportError("rrdtool fetch \(file.path): \(result.error)") }
        let lines = result.output.split(separator: "\n")
        guard let header = lines.first else { return [:] }
        let names = header.split(separator: " ").map(String.init)
        var rows: [Int64: [String: Double]] = [:]
        for line in lines.dropFirst() {
            let parts = line.split(separator: " ")
            guard let first = parts.first, first.hasSuffix(":"), let time = Int64(first.dropLast()) else { continue }
            var row: [String: Double] = [:]
            for (name, text) in zip(names, parts.dropFirst()) {
                if let value = Double(text), value.isFinite { row[name] = value }
            }
            rows[time] = row
        }
        return rows
    }

    /// The sum of data source `name` over the rows of `file` between `start` and `end`.
    static func sum(_ file: URL, _ name: String, start: Int64, end: Int64) throws -> Double {
        try fetch(file, start: start, end: end).values.compactMap { $0[name] }.reduce(0, +)
    }

    /// Seconds since the epoch of `local` (`2009-07-15 02:00:00`) in `zone`.
    static func seconds(_ local: String, zone: String) -> Int64 {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        formatter.timeZone = TimeZone(identifier: zone)
        return Int64(formatter.date(from: local)!.timeIntervalSince1970)
    }
}
