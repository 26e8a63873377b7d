import Foundation
import MilterTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The built analyzer against what a careless admin or an attacker gives it: a DIR that is a
/// file or a link, links planted under its file names, a busy directory, binary and huge
/// lines, garbage times, lines out of order. A clear message and nothing lost, never a crash.
@Suite("analyzer on hostile input", .serialized)
struct AnalyzerHostileInputTests {
    /// 2024-01-21T09:20:00Z: the lines below are from the ten minutes before.
    static let now: Int64 = 1_705_828_800

    /// Statistics lines of the daemon's own log file at 09:1M:SS UTC.
    static func line(_ minute: Int, _ second: Int, _ text: String) -> String {
        "[2024-01-21T09:1\(minute):\(String(format: "%02d", second)).000000Z]: [statistics] \(text)\n"
    }

    static let goodLog =
        line(2, 5, "[session][end][end-of-message][accept][0.5](1)")
        + line(2, 6, "[milter][end][end-of-message][accept][0.01](2): tagger")
        + line(9, 59, "[session][end][end-of-message][reject][0.5](3)")

    private func withDirectory(_ label: String, _ body: (URL) throws -> Void) throws {
        let directory = try TestPaths.makeTemporaryDirectory(label)
        defer { try? FileManager.default.removeItem(at: directory) }
        try body(directory)
    }

    private func run(_ arguments: [String], input: String = goodLog) throws -> (
        status: Int32, output: String, error: String
    ) {
        try AnalyzerProcess.run(arguments + ["--now", String(Self.now)], input: Data(input.utf8))
    }

    private func smtp(_ directory: URL) throws -> Double {
        try AnalyzerProcess.sum(
            directory.appendingPathComponent("session.rrd"), "smtp", start: Self.now - 3600, end: Self.now)
    }

    @Test func commandLine() throws {
        let help = try AnalyzerProcess.run(["--help"])
        #expect(help.status == 0)
        for option in ["--log", "--output-directory", "--no-update-db"] { #expect(help.output.contains(option)) }
        let version = try AnalyzerProcess.run(["--version"])
        #expect(version.status == 0)
        #expect(version.output.hasPrefix("milter-manager-log-analyzer "))
        #expect(try AnalyzerProcess.run(["--frobnicate"]).status == 64)
        #expect(try AnalyzerProcess.run(["--now", "yesterday"]).status == 64)
        #expect(try AnalyzerProcess.run(["--now", "-9223372036854775808"]).status == 64)
    }

    @Test func directoryThatIsAFile() throws {
        try withDirectory("analyzer-file") { directory in
            let file = directory.appendingPathComponent("log")
            try Data("x".utf8).write(to: file)
            let result = try run(["--output-directory", file.path])
            #expect(result.status == 1)
            #expect(result.error.contains("\(file.path) exists and is not a directory"), "\(result.error)")
            #expect(try Data(contentsOf: file) == Data("x".utf8))
        }
    }

    @Test func directoryThatIsADanglingOrLoopingLink() throws {
        try withDirectory("analyzer-link") { directory in
            let dangling = directory.appendingPathComponent("dangling")
            try FileManager.default.createSymbolicLink(atPath: dangling.path, withDestinationPath: "/nonexistent/x")
            let result = try run(["--output-directory", dangling.path])
            #expect(result.status == 1)
            #expect(result.error.contains("symbolic link that leads nowhere"), "\(result.error)")
            #expect(!FileManager.default.fileExists(atPath: "/nonexistent"))
            let loop = directory.appendingPathComponent("loop")
            try FileManager.default.createSymbolicLink(atPath: loop.path, withDestinationPath: loop.path)
            let looping = try run(["--output-directory", loop.path])
            #expect(looping.status == 1)
            #expect(looping.error.contains("symbolic link that leads nowhere"), "\(looping.error)")
            let file = directory.appendingPathComponent("file")
            try Data().write(to: file)
            let toFile = directory.appendingPathComponent("to-file")
            try FileManager.default.createSymbolicLink(atPath: toFile.path, withDestinationPath: file.path)
            let linked = try run(["--output-directory", toFile.path])
            #expect(linked.status == 1)
            #expect(linked.error.contains("symbolic link to something that is not a directory"), "\(linked.error)")
        }
    }

    /// A link to a directory (public_html/log pointing into a web root) is followed.
    @Test func directoryThatIsALinkToADirectory() throws {
        try withDirectory("analyzer-linked") { directory in
            let real = directory.appendingPathComponent("real")
            try FileManager.default.createDirectory(at: real, withIntermediateDirectories: true)
            let link = directory.appendingPathComponent("link")
            try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: real.path)
            let result = try run(["--output-directory", link.path])
            #expect(result.status == 0, "\(result.error)")
            #expect(try smtp(real) == 2)
            #expect(FileManager.default.fileExists(atPath: real.appendingPathComponent("index.html").path))
        }
    }

    /// Links planted under the analyzer's file names: an RRD link is refused (its target
    /// untouched, the other files still written); index.html and a graph are replaced.
    @Test func plantedLinksAreNeverWrittenThrough() throws {
        try withDirectory("analyzer-planted") { directory in
            let output = directory.appendingPathComponent("out")
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
            let target = directory.appendingPathComponent("target")
            try Data("precious".utf8).write(to: target)
            for name in ["session.rrd", "index.html", "milter-manager.status.day.png"] {
                try FileManager.default.createSymbolicLink(
                    atPath: output.appendingPathComponent(name).path, withDestinationPath: target.path)
            }
            let result = try run(["--output-directory", output.path])
            #expect(result.status == 1)
            #expect(result.error.contains("session.rrd is not a regular file"), "\(result.error)")
            #expect(try Data(contentsOf: target) == Data("precious".utf8))
            let status = try AnalyzerProcess.sum(
                output.appendingPathComponent("milter-manager.status.rrd"), "accept", start: Self.now - 3600,
                end: Self.now)
            #expect(status == 1)
            for name in ["index.html", "milter-manager.status.day.png"] {
                let attributes = try FileManager.default.attributesOfItem(
                    atPath: output.appendingPathComponent(name).path)
                #expect(attributes[.type] as? FileAttributeType == .typeRegular, "\(name)")
            }
        }
    }

    @Test func aFileThatIsNotAnRRDIsReportedAndTheOthersWritten() throws {
        try withDirectory("analyzer-garbage") { directory in
            try Data("not an rrd file".utf8).write(to: directory.appendingPathComponent("session.rrd"))
            let result = try run(["--output-directory", directory.path])
            #expect(result.status == 1)
            #expect(result.error.contains("session.rrd"), "\(result.error)")
            #expect(
                try AnalyzerProcess.sum(
                    directory.appendingPathComponent("milter-manager.status.rrd"), "reject", start: Self.now - 3600,
                    end: Self.now) == 1)
        }
    }

    @Test func aBusyDirectoryIsLeftAlone() throws {
        try withDirectory("analyzer-busy") { directory in
            let descriptor = open(directory.path, O_RDONLY | O_DIRECTORY)
            defer { close(descriptor) }
            #expect(flock(descriptor, LOCK_EX) == 0)
            let result = try run(["--output-directory", directory.path])
            #expect(result.status == 1)
            #expect(result.error.contains("another milter-manager-log-analyzer is updating"), "\(result.error)")
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("session.rrd").path))
        }
    }

    @Test func logThatCannotBeRead() throws {
        try withDirectory("analyzer-log") { directory in
            let missing = try run([
                "--output-directory", directory.path, "--log", directory.appendingPathComponent("none").path,
            ])
            #expect(missing.status == 1)
            #expect(missing.error.contains("cannot open log"), "\(missing.error)")
            let folder = try run(["--output-directory", directory.path, "--log", directory.path])
            #expect(folder.status == 1)
            #expect(folder.error.contains("is a directory"), "\(folder.error)")
        }
    }

    /// Binary, a huge line, garbage times, lines out of order, a line from the future, a
    /// malformed statistics line: the good lines are all counted, the bad ones named.
    @Test func garbageAmongGoodLines() throws {
        try withDirectory("analyzer-garbage-lines") { directory in
            var log = Data(Self.line(9, 59, "[session][end][end-of-message][reject][0.5](3)").utf8)
            log += Data([0x00, 0xff, 0xfe, 0x0a, 0x80, 0x81, 0x0a])
            log += Data(repeating: UInt8(ascii: "A"), count: 200_000) + Data([0x0a])
            log += Data("Foo 99 99:99:99 mail milter-manager[1]: [statistics] [session][end][x][pass][1](1)\n".utf8)
            log += Data("[9999-99-99T99:99:99Z]: [statistics] [session][end][x][pass][1](1)\n".utf8)
            log += Data(Self.line(2, 5, "[session][end][end-of-message][accept][0.5](1)").utf8)
            log += Data("[2024-01-21T09:25:00.000000Z]: [statistics] [session][end][data][pass][1](9)\n".utf8)
            log += Data(Self.line(3, 0, "[session][end][end-of-message][frobbed][0.5](4)").utf8)
            let result = try AnalyzerProcess.run(
                ["--output-directory", directory.path, "--now", String(Self.now)], input: log)
            #expect(result.status == 0, "\(result.error)")
            #expect(result.error.contains(":9: [session][end]: unknown status \"frobbed\""), "\(result.error)")
            #expect(result.error.contains("1 lines longer than 65536 bytes skipped"), "\(result.error)")
            #expect(try smtp(directory) == 2)
        }
    }

    /// A folded header value as the daemon's own log file writes it (a raw newline and a tab):
    /// the continuation belongs to the statistics line before it.
    @Test func foldedHeaderValueInTheDaemonsLogFile() throws {
        try withDirectory("analyzer-folded") { directory in
            let log =
                Self.line(
                    2, 5,
                    "[milter][header][add](2): <X-Spam-Status>=<Yes, score=9.9 required=5.0 tests=BAYES_99,")
                + "\tURIBL_BLACK autolearn=no>: spamcheck\n"
                + Self.line(2, 6, "[milter][end][end-of-message][accept][0.01](2): spamcheck")
            let result = try run(["--output-directory", directory.path], input: log)
            #expect(result.status == 0, "\(result.error)")
            #expect(result.error.isEmpty, "\(result.error)")
            for file in ["milter-manager.report.rrd", "milter.report.spamcheck.rrd"] {
                #expect(
                    try AnalyzerProcess.sum(
                        directory.appendingPathComponent(file), "uribl", start: Self.now - 3600, end: Self.now) == 1,
                    "\(file)")
            }
        }
    }
}
