import Configuration
import Foundation
import MilterProtocol
import MilterRuntime
import MilterSupport
import MilterTestSupport
import Testing

/// issue 9 class 8: no logged value can write a line of its own; UTF-8 stays readable and
/// lines without control characters (the statistics lines) stay byte for byte, backslashes
/// included.
@Suite("Log lines escape control characters")
struct LogTextTests {
    static let cases: [(String, String)] = [
        ("plain text", "plain text"),
        (
            "[statistics] [milter][header][add](13): <X-Greylist>=<Delayed for 00:05:00 by milter-greylist-4.2.7>: milter-greylist",
            "[statistics] [milter][header][add](13): <X-Greylist>=<Delayed for 00:05:00 by milter-greylist-4.2.7>: milter-greylist"
        ),
        ("<a\r\n[statistics] [session][end][forged]>", "<a\\r\\n[statistics] [session][end][forged]>"),
        ("a\nb", "a\\nb"),
        ("a\rb", "a\\rb"),
        ("tab\there", "tab\\there"),
        ("nul\u{0}x", "nul\\x00x"),
        ("bell\u{7}", "bell\\x07"),
        ("escape\u{1B}[31mred", "escape\\x1B[31mred"),
        ("unit\u{1F}separator", "unit\\x1Fseparator"),
        ("delete\u{7F}", "delete\\x7F"),
        ("next line\u{85}forged", "next line\\x85forged"),
        ("csi\u{9B}2J", "csi\\x9B2J"),
        ("café 日本語 🙂 Grüße", "café 日本語 🙂 Grüße"),
        ("a literal backslash-n \\n stays", "a literal backslash-n \\n stays"),
        ("", ""),
    ]

    @Test(arguments: cases)
    func escaping(_ input: String, _ expected: String) {
        let escaped = ControlCharacters.escaped(input, doublingBackslashes: false)
        #expect(escaped == expected)
        #expect(!ControlCharacters.contains(in: escaped))
    }

    /// Through the sink to a real file: one call, one line, whatever the message holds.
    @Test func aLogFileGetsOneLinePerMessage() throws {
        let directory = try TestPaths.makeTemporaryDirectory("logtext")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("manager.log").path
        let sink = LogSink(flags: LogLevel.defaultFlags, path: path, useSyslog: false, facility: .mail)
        sink.write(.statistics, "held until the file is opened\n[statistics] forged")
        try sink.openFile()
        let messages = Self.cases.map(\.0) + ["[statistics] [session][end][end-of-message][pass][1.23](12)"]
        for message in messages { sink.write(.statistics, message) }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).dropLast()
        #expect(lines.count == messages.count + 1)
        let stamp = try Regex(#"^\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z\]: "#)
        for line in lines { #expect(line.contains(stamp), "a line without its own time stamp: \(line)") }
        #expect(lines.first?.hasSuffix("]: held until the file is opened\\n[statistics] forged") == true)
        #expect(lines.last?.hasSuffix("]: [statistics] [session][end][end-of-message][pass][1.23](12)") == true)
    }
}
