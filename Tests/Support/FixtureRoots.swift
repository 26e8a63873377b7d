import Foundation

/// The detection fixture roots (`Tests/Fixtures/roots/<platform>-<version>/<case>`), scratch
/// copies of them to write into, and snapshots that show whether anything was written.
public enum FixtureRoots {
    /// The path of `Tests/Fixtures/roots/<relative>`.
    public static func path(_ relative: String) -> String {
        TestPaths.fixtures.appendingPathComponent("roots/" + relative).path
    }

    /// A fresh copy of a fixture root (symlinks kept as symlinks), or an empty directory for nil.
    public static func copy(_ relative: String?, label: String) throws -> URL {
        let target = try TestPaths.makeTemporaryDirectory(label)
        guard let relative else { return target }
        let copy = try Subprocess.run("/bin/cp", ["-a", path(relative) + "/.", target.path])
        guard copy.status == 0 else { throw TestSupportError("cp -a \(relative) failed: \(copy.output)") }
        return target
    }

    /// One line per entry under `root` (type, path, mode, size, modification time, link
    /// target): equal snapshots mean nothing was written in between.
    public static func snapshot(_ root: URL) throws -> [String] {
        let listing = try Subprocess.run("/usr/bin/find", [root.path, "-printf", "%y %p %m %s %T@ %l\\n"])
        guard listing.status == 0 else { throw TestSupportError("find \(root.path) failed: \(listing.output)") }
        return listing.output.split(separator: "\n").map(String.init).sorted()
    }
}
