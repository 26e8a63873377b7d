import Foundation
import MilterTestSupport
import Testing

@testable import milter_manager

/// The launcher runs commands only from files nobody but root can change (issue 16): each
/// case makes one path in a fresh directory weaker and expects it named.
@Suite("Root-only paths", .serialized)
struct RootOnlyPathTests {
    static var isRoot: Bool { geteuid() == 0 }

    @Test(.enabled(if: isRoot, "needs root to give files away"))
    func aFileAndItsDirectoriesMustBeRootsAndNotWritableByOthers() throws {
        let directory = try TestPaths.makeTemporaryDirectory("rootonly")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("milter-manager.conf").path
        try "security.privilege_mode = true\n".write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o644)
        #expect(RootOnlyPath.problem(file) == nil, "a root file in a root directory under /tmp (sticky) passes")

        chmod(file, 0o664)
        #expect(RootOnlyPath.problem(file) == "\(file) is writable by its group (mode 0664)")
        chmod(file, 0o646)
        #expect(RootOnlyPath.problem(file) == "\(file) is writable by everyone (mode 0646)")
        chmod(file, 0o644)

        let nobody = try #require(getpwnam("nobody")).pointee.pw_uid
        chown(file, nobody, gid_t.max)
        #expect(RootOnlyPath.problem(file) == "\(file) belongs to uid \(nobody), not root")
        chown(file, 0, gid_t.max)

        chmod(directory.path, 0o775)
        #expect(RootOnlyPath.problem(file) == "\(directory.path) is writable by its group (mode 0775)")
        chmod(directory.path, 0o1777)
        #expect(
            RootOnlyPath.problem(file) == "\(directory.path) is writable by everyone (mode 01777)",
            "a sticky directory is fine above, not as the file's own")
        chmod(directory.path, 0o755)
    }

    @Test(.enabled(if: isRoot, "needs root to give files away"))
    func aLinkIsCheckedWhereItLeads() throws {
        let directory = try TestPaths.makeTemporaryDirectory("rootonly")
        defer { try? FileManager.default.removeItem(at: directory) }
        let elsewhere = directory.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let target = elsewhere.appendingPathComponent("start").path
        try "#!/bin/sh\n".write(toFile: target, atomically: true, encoding: .utf8)
        chmod(target, 0o755)
        let link = directory.appendingPathComponent("start").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        #expect(RootOnlyPath.problem(link) == nil)
        chmod(elsewhere.path, 0o777)
        #expect(RootOnlyPath.problem(link) == "\(elsewhere.path) is writable by everyone (mode 0777)")
    }

    @Test func aMissingOrRelativePathFails() {
        #expect(RootOnlyPath.problem("relative/path") == "relative/path is not an absolute path")
        #expect(RootOnlyPath.problem("/nonexistent-dir/x")?.hasPrefix("cannot examine /nonexistent-dir: ") == true)
    }
}
