import Foundation
import MilterTestSupport
import Testing

/// The analyzer on the original milter manager's own logs (Tests/Fixtures/logs/original: a
/// real 2009 server's mail.log with Postfix, Dovecot and six milters), counted independently
/// here by plain string matching.
@Suite("analyzer on the original's logs", .serialized)
struct OriginalLogTests {
    static let zone = "Asia/Tokyo"
    static let first = TestPaths.fixtures.appendingPathComponent("logs/original/mail-20090715-1.log")
    static let second = TestPaths.fixtures.appendingPathComponent("logs/original/mail-20090715-2.log")
    static let dayStart = AnalyzerProcess.seconds("2009-07-15 00:00:00", zone: zone)
    static let dayEnd = AnalyzerProcess.seconds("2009-07-15 12:00:00", zone: zone)
    static let milters = [
        "clamav-milter", "milter-dkim", "milter-enma", "milter-greylist", "milter-sid", "spamass-milter",
    ]

    /// Statistics lines of `logs` that contain every one of `parts`.
    func count(_ logs: [URL], _ parts: String...) throws -> Double {
        var total = 0
        for log in logs {
            let text = String(decoding: try Data(contentsOf: log), as: UTF8.self)
            total +=
                text.split(separator: "\n").filter { line in
                    line.contains("milter-manager[") && line.contains("[statistics] ")
                        && parts.allSatisfy { line.contains($0) }
                }.count
        }
        return Double(total)
    }

    private func analyze(_ logs: [URL], into directory: URL, at local: String) throws {
        let input = try logs.map { try Data(contentsOf: $0) }.reduce(Data(), +)
        let result = try AnalyzerProcess.run(
            ["--output-directory", directory.path, "--now", String(AnalyzerProcess.seconds(local, zone: Self.zone))],
            zone: Self.zone, input: input)
        #expect(result.status == 0, "\(result.error)")
        // Lines cut at syslogd's 1024 bytes are expected and not warned about.
        #expect(result.error.isEmpty, "\(result.error)")
    }

    /// Every RRD file's totals against the log, for `logs`.
    private func expectTotals(_ logs: [URL], in directory: URL) throws {
        func sum(_ file: String, _ source: String) throws -> Double {
            try AnalyzerProcess.sum(
                directory.appendingPathComponent(file), source, start: Self.dayStart, end: Self.dayEnd)
        }
        #expect(try sum("session.rrd", "smtp") == count(logs, "[session][end]["))
        #expect(try sum("session.rrd", "child") == count(logs, "[milter][end]["))
        for (status, source) in [
            ("pass", "pass"), ("accept", "accept"), ("temporary-failure", "temporary_failure"), ("abort", "abort"),
            ("reject", "reject"),
        ] {
            #expect(
                try sum("milter-manager.status.rrd", source) == count(logs, "[session][end][", "][\(status)]["),
                "\(status)")
            for milter in Self.milters {
                #expect(
                    try sum("milter.status.\(milter).rrd", source)
                        == count(logs, "[milter][end][", "][\(status)][", "): \(milter)"), "\(milter) \(status)")
            }
        }
        #expect(
            try sum("milter.status.milter-greylist.rrd", "stop")
                == count(logs, "[milter][end][", "][stop][", "): milter-greylist"))
        #expect(try sum("milter.elapsed.milter-sid.rrd", "count") == count(logs, "[milter][end][", "): milter-sid"))
        #expect(try sum("milter-manager.elapsed.rrd", "count") == count(logs, "[session][end]["))
        let spam = try count(logs, "[milter][header][add]", "<X-Spam-Flag>=<YES>")
        #expect(spam > 0)
        #expect(try sum("milter-manager.report.rrd", "spam") == spam)
        #expect(try sum("milter.report.spamass-milter.rrd", "spam") == spam)
        let greylisted = try count(logs, "[milter][header][add]", "<X-Greylist>=<Delayed for")
        #expect(try sum("milter.report.milter-greylist.rrd", "greylisting_pass") == greylisted)
        let spf = try count(logs, "[milter][header][add]", "spf=pass", ">: milter-enma")
        #expect(spf > 0)
        #expect(try sum("milter.report.milter-enma.rrd", "spf_pass") == spf)
    }

    @Test func countsEveryStatisticsLineAndDrawsEveryGraph() throws {
        let directory = try TestPaths.makeTemporaryDirectory("analyzer-original")
        defer { try? FileManager.default.removeItem(at: directory) }
        try analyze([Self.first], into: directory, at: "2009-07-15 03:00:00")
        try expectTotals([Self.first], in: directory)
        let html = try String(contentsOf: directory.appendingPathComponent("index.html"), encoding: .utf8)
        var graphs = ["milter-manager.status", "milter-manager.report", "milter-manager.elapsed"]
        for milter in Self.milters { graphs += ["milter.status.\(milter)", "milter.report.\(milter)"] }
        for period in ["day", "week", "month", "year"] {
            for graph in graphs {
                let name = "\(graph).\(period).png"
                let png = try Data(contentsOf: directory.appendingPathComponent(name))
                #expect(png.starts(with: [0x89, 0x50, 0x4e, 0x47]), "\(name) is not a PNG")
                #expect(html.contains("<img src=\"\(name)\""), "index.html does not show \(name)")
            }
        }
    }

    /// The cron case: the log grew (the second file follows the first), and a run over the
    /// whole of it adds only the new lines; a run over the same log again adds nothing.
    @Test func aGrownLogAddsOnlyItsNewLines() throws {
        let directory = try TestPaths.makeTemporaryDirectory("analyzer-grown")
        defer { try? FileManager.default.removeItem(at: directory) }
        try analyze([Self.first], into: directory, at: "2009-07-15 03:00:00")
        try analyze([Self.first, Self.second], into: directory, at: "2009-07-15 10:00:00")
        try expectTotals([Self.first, Self.second], in: directory)
        try analyze([Self.first, Self.second], into: directory, at: "2009-07-15 10:30:00")
        try expectTotals([Self.first, Self.second], in: directory)
        // Between the two logs nothing was logged: zeros, not gaps.
        let quiet = try AnalyzerProcess.fetch(
            directory.appendingPathComponent("session.rrd"),
            start: AnalyzerProcess.seconds("2009-07-15 03:00:00", zone: Self.zone),
            end: AnalyzerProcess.seconds("2009-07-15 06:00:00", zone: Self.zone))
        #expect(quiet.count >= 180)
        #expect(quiet.values.allSatisfy { $0["smtp"] == 0 })
    }

    /// Lines of the current minute are left for the next run, which counts them.
    @Test func theCurrentMinuteWaitsForTheNextRun() throws {
        let directory = try TestPaths.makeTemporaryDirectory("analyzer-minute")
        defer { try? FileManager.default.removeItem(at: directory) }
        // 00:00:15 to 00:00:59 hold the first sessions; "now" is 00:00:30.
        try analyze([Self.first], into: directory, at: "2009-07-15 00:00:30")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("session.rrd").path))
        try analyze([Self.first], into: directory, at: "2009-07-15 03:00:00")
        try expectTotals([Self.first], in: directory)
    }
}

/// Files the original's analyzer made (Tests/Fixtures/logs/original/rrd, from its own test
/// fixtures, updated up to 01:40 from mail-20090715-1.log) carry on with the next log: the
/// sources they lack are added, the minutes after their last update counted.
@Suite("analyzer on the original's RRD files", .serialized)
struct OriginalFilesTests {
    static let zone = "Asia/Tokyo"

    @Test func theOriginalsFilesAreContinued() throws {
        let directory = try TestPaths.makeTemporaryDirectory("analyzer-continued")
        defer { try? FileManager.default.removeItem(at: directory) }
        for name in ["milter.status.milter-greylist.rrd", "milter.report.milter-greylist.rrd"] {
            try FileManager.default.copyItem(
                at: TestPaths.fixtures.appendingPathComponent("logs/original/rrd/\(name)"),
                to: directory.appendingPathComponent(name))
        }
        let log = TestPaths.fixtures.appendingPathComponent("logs/original/mail-20090715-2.log")
        let result = try AnalyzerProcess.run(
            [
                "--log", log.path, "--output-directory", directory.path,
                "--now", String(AnalyzerProcess.seconds("2009-07-15 10:00:00", zone: Self.zone)),
            ], zone: Self.zone)
        #expect(result.status == 0, "\(result.error)")

        let report = directory.appendingPathComponent("milter.report.milter-greylist.rrd")
        let info = try Subprocess.capture("/usr/bin/rrdtool", ["info", report.path]).output
        for added in ["tarpitting_pass", "dmarc_pass", "dmarc_fail"] {
            #expect(info.contains("ds[\(added)].index"), "\(added) not added")
        }
        // Whole 8-minute rows (the original's files have no single minutes) from 06:40 to 09:28.
        let start = AnalyzerProcess.seconds("2009-07-15 06:40:00", zone: Self.zone) / 480 * 480
        let end = AnalyzerProcess.seconds("2009-07-15 09:30:00", zone: Self.zone) / 480 * 480
        func logged(_ parts: String...) throws -> Double {
            let text = String(decoding: try Data(contentsOf: log), as: UTF8.self)
            return Double(
                text.split(separator: "\n").filter { line in
                    guard line.hasPrefix("Jul 15 "), line.contains("milter-manager[") else { return false }
                    let seconds = AnalyzerProcess.seconds(
                        "2009-07-15 " + line.dropFirst(7).prefix(8), zone: Self.zone)
                    return seconds >= start && seconds < end && parts.allSatisfy { line.contains($0) }
                }.count)
        }
        func counted(_ file: String, _ source: String) throws -> Double {
            let rows = try AnalyzerProcess.fetch(
                directory.appendingPathComponent(file), start: start, end: end, resolution: 480)
            return rows.filter { $0.key > start && $0.key <= end }.values.compactMap { $0[source] }.reduce(0, +) * 8
        }
        let stopped = try logged("[milter][end][", "][stop][", "): milter-greylist")
        #expect(stopped > 0)
        #expect(try abs(counted("milter.status.milter-greylist.rrd", "stop") - stopped) < 1e-6)
        let greylisted = try logged("[milter][header][add]", "<X-Greylist>=<Delayed for", ">: milter-greylist")
        #expect(greylisted > 0)
        #expect(try abs(counted("milter.report.milter-greylist.rrd", "greylisting_pass") - greylisted) < 1e-6)
        #expect(
            FileManager.default.fileExists(
                atPath: directory.appendingPathComponent("milter.status.milter-greylist.day.png").path))
    }
}
