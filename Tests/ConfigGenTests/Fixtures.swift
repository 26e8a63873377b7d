import ConfigGen
import Detect
import Foundation
import MilterTestSupport

/// Fixture roots and scratch copies for ConfigGen's tests.
enum ConfigGenFixtures {
    /// The templates of this checkout.
    static let templates = TemplateSet(directory: TestPaths.packageRoot.appendingPathComponent("templates").path)

    /// The data directory of this checkout (templates).
    static let dataDirectory = DataDirectory(path: TestPaths.packageRoot.path)

    /// `Tests/Fixtures/postfix/<name>`.
    static func postfixFile(_ name: String) -> URL {
        TestPaths.fixtures.appendingPathComponent("postfix/" + name)
    }

    /// Writes `text` at `inside` (an absolute path inside `root`), creating parents.
    static func write(_ text: String, at inside: String, in root: URL) throws {
        let url = root.appendingPathComponent(String(inside.dropFirst()))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// The text at `inside` in `root`, nil when missing.
    static func read(_ inside: String, in root: URL) -> String? {
        FileManager.default.contents(atPath: root.path + inside).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Removes a scratch directory.
    static func remove(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
    }
}
