import ConfigGen
import Configuration
import Foundation
import MilterTestSupport
import Testing

/// Atomic replacement with a backup: only on change, mode kept, symlinks followed, parents made.
@Suite struct FileUpdaterTests {
    @Test func createsReplacesAndKeepsTheMode() throws {
        let root = try FixtureRoots.copy(nil, label: "fu-mode")
        defer { ConfigGenFixtures.remove(root) }
        let updater = FileUpdater(root: RootDirectory(root.path))
        #expect(try updater.update("/etc/x/y.conf", with: "one\n") == .created)
        let path = root.path + "/etc/x/y.conf"
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o644)
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        #expect(try updater.update("/etc/x/y.conf", with: "one\n") == .unchanged)
        #expect(try updater.update("/etc/x/y.conf", with: "two\n") == .replaced(backup: "/etc/x/y.conf.bak"))
        #expect(ConfigGenFixtures.read("/etc/x/y.conf", in: root) == "two\n")
        #expect(ConfigGenFixtures.read("/etc/x/y.conf.bak", in: root) == "one\n")
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o640)
        // No temporary file is left beside it.
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: root.path + "/etc/x").sorted() == [
                "y.conf", "y.conf.bak",
            ])
    }

    @Test func symlinkInsideTheRootIsKept() throws {
        let root = try FixtureRoots.copy(nil, label: "fu-link")
        defer { ConfigGenFixtures.remove(root) }
        try ConfigGenFixtures.write("old\n", at: "/usr/local/etc/main.cf", in: root)
        try FileManager.default.createDirectory(atPath: root.path + "/etc/postfix", withIntermediateDirectories: true)
        // An absolute link target is taken inside the root, as the MTA in that root sees it.
        try FileManager.default.createSymbolicLink(
            atPath: root.path + "/etc/postfix/main.cf", withDestinationPath: "/usr/local/etc/main.cf")
        let outcome = try FileUpdater(root: RootDirectory(root.path)).update("/etc/postfix/main.cf", with: "new\n")
        #expect(outcome == .replaced(backup: "/etc/postfix/main.cf.bak"))
        #expect(
            try FileManager.default.destinationOfSymbolicLink(atPath: root.path + "/etc/postfix/main.cf")
                == "/usr/local/etc/main.cf")
        #expect(ConfigGenFixtures.read("/usr/local/etc/main.cf", in: root) == "new\n")
        #expect(ConfigGenFixtures.read("/etc/postfix/main.cf.bak", in: root) == "old\n")
    }

    @Test func symlinkOutOfTheRootIsRefused() throws {
        let root = try FixtureRoots.copy(nil, label: "fu-out")
        let outside = try FixtureRoots.copy(nil, label: "fu-outside")
        defer {
            ConfigGenFixtures.remove(root)
            ConfigGenFixtures.remove(outside)
        }
        try Data("theirs\n".utf8).write(to: outside.appendingPathComponent("file"))
        try FileManager.default.createDirectory(atPath: root.path + "/etc", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: root.path + "/etc/file", withDestinationPath: outside.path + "/file")
        #expect(throws: ConfigGenError.self) {
            _ = try FileUpdater(root: RootDirectory(root.path)).update("/etc/file", with: "ours\n")
        }
        #expect(ConfigGenFixtures.read("/file", in: outside) == "theirs\n")
    }

    @Test func unwritablePlaceIsAnErrorWithThePath() throws {
        let root = try FixtureRoots.copy(nil, label: "fu-notdir")
        defer { ConfigGenFixtures.remove(root) }
        try ConfigGenFixtures.write("a\n", at: "/etc/f", in: root)
        #expect {
            _ = try FileUpdater(root: RootDirectory(root.path)).update("/etc/f/g.conf", with: "b\n")
        } throws: { error in
            guard let error = error as? ConfigGenError, case .writeFailed(let path, let reason) = error else {
                return false
            }
            return path == "/etc/f/g.conf" && reason == "/etc/f is not a directory"
        }
        #expect(ConfigGenFixtures.read("/etc/f", in: root) == "a\n")
    }
}
