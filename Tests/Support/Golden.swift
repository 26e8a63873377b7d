import Foundation
import Testing

/// Compares text with a golden file under `Tests/Fixtures/golden/`; `RECORD_GOLDEN=1` writes
/// the file instead and fails the test, so that a recorded golden is never taken for a pass:
/// review the change with `git diff`, then run again without `RECORD_GOLDEN`.
public enum Golden {
    /// Whether this run records golden files.
    public static var recording: Bool { ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" }

    /// `Tests/Fixtures/golden/<path>`.
    public static func url(_ path: String) -> URL {
        TestPaths.fixtures.appendingPathComponent("golden/" + path)
    }

    /// Checks `actual` against `Tests/Fixtures/golden/<path>`, reporting the first differing line.
    public static func check(_ actual: String, _ path: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let file = url(path)
        if recording {
            do {
                try FileManager.default.createDirectory(
                    at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(actual.utf8).write(to: file)
                let message: Comment =
                    "recorded golden file \(path) (RECORD_GOLDEN=1): review it with git diff, then run again without it"
                Issue.record(message, sourceLocation: sourceLocation)
            } catch {
                Issue.record("cannot record \(path): \(error)", sourceLocation: sourceLocation)
            }
            return
        }
        guard let data = FileManager.default.contents(atPath: file.path) else {
            Issue.record("golden file \(path) is missing; run with RECORD_GOLDEN=1", sourceLocation: sourceLocation)
            return
        }
        let expected = String(decoding: data, as: UTF8.self)
        guard expected != actual else { return }
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let index =
            zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            ?? min(expectedLines.count, actualLines.count)
        let want = index < expectedLines.count ? String(expectedLines[index]) : "<end>"
        let got = index < actualLines.count ? String(actualLines[index]) : "<end>"
        Issue.record(
            "\(path) differs at line \(index + 1): expected \(want.debugDescription), got \(got.debugDescription)",
            sourceLocation: sourceLocation)
    }
}
