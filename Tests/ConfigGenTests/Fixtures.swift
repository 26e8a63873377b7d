import ConfigGen
import Detect
import Foundation
import MilterTestSupport

/// Fixture roots and scratch copies for ConfigGen's tests.
enum ConfigGenFixtures {
    /// The templates of this checkout.
    static let templates = TemplateSet(directory: TestPaths.packageRoot.appendingPathComponent("templates").path)

    /// The data directory of this checkout (lenses and templates).
    static let dataDirectory = DataDirectory(path: TestPaths.packageRoot.path)

    /// `Tests/Fixtures/roots/<relative>`.
    static func root(_ relative: String) -> String {
        TestPaths.fixtures.appendingPathComponent("roots/" + relative).path
    }

    /// `Tests/Fixtures/postfix/<name>`.
    static func postfixFile(_ name: String) -> URL {
        TestPaths.fixtures.appendingPathComponent("postfix/" + name)
    }

    /// A fresh copy of a fixture root (symlinks kept), or an empty directory for nil.
    static func copy(_ relative: String?, label: String) throws -> URL {
        let target = try TestPaths.makeTemporaryDirectory(label)
        guard let relative else { return target }
        let copy = try Subprocess.run("/bin/cp", ["-a", root(relative) + "/.", target.path])
        guard copy.status == 0 else { throw TestSupportError("cp -a \(relative) failed: \(copy.output)") }
        return target
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

    /// One line per entry under `root` (type, path, mode, size, modification time, link
    /// target): equal snapshots mean nothing was written in between.
    static func snapshot(_ root: URL) throws -> [String] {
        let listing = try Subprocess.run(
            "/usr/bin/find", [root.path, "-printf", "%y %p %m %s %T@ %l\\n"])
        guard listing.status == 0 else { throw TestSupportError("find \(root.path) failed: \(listing.output)") }
        return listing.output.split(separator: "\n").map(String.init).sorted()
    }

    /// Removes a scratch directory.
    static func remove(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
    }
}
