import Foundation
import Testing

@testable import Detect

/// Paths inside a root: symlinks (relative and absolute) resolve inside it, never outside.
@Suite struct RootFileSystemTests {
    static let resolveCases: [(String, String, String?)] = [
        // CentOS: /etc/init.d -> rc.d/init.d (relative).
        ("redhat-6/install-guide", "/etc/init.d/milter-greylist", "/etc/rc.d/init.d/milter-greylist"),
        // Debian 12: wants links -> /lib/systemd/system/... (absolute, read inside the root).
        (
            "debian-12/packages", "/etc/systemd/system/multi-user.target.wants/opendkim.service",
            "/lib/systemd/system/opendkim.service"
        ),
        // systemd-sysv's /sbin/init -> /lib/systemd/systemd, which the root does not have.
        ("debian-12/packages", "/sbin/init", nil),
        ("redhat-6/install-guide", "/etc/rc3.d/S79milter-greylist", "/etc/rc.d/init.d/milter-greylist"),
        // A mask points at /dev/null, which the root does not have.
        ("redhat-7/overrides", "/etc/systemd/system/clamav-milter.service", nil),
        ("redhat-6/install-guide", "/etc/../../../etc/mail/greylist.conf", "/etc/mail/greylist.conf"),
        ("redhat-6/install-guide", "/etc/missing/file", nil),
    ]

    @Test(arguments: resolveCases)
    func resolvesInsideTheRoot(_ root: String, _ path: String, _ expected: String?) {
        #expect(RootFileSystem(root: Fixtures.root(root)).resolve(path) == expected)
    }

    @Test func absoluteLinksNeverLeaveTheRoot() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("detect-root-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory + "/etc", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: directory + "/etc/passwd-link", withDestinationPath: "/etc/passwd")
        try FileManager.default.createSymbolicLink(atPath: directory + "/etc/up", withDestinationPath: "../../../../..")
        let fileSystem = RootFileSystem(root: directory)
        #expect(fileSystem.readFile("/etc/passwd-link") == nil)
        #expect(fileSystem.resolve("/etc/up") == "/")
        #expect(fileSystem.entryExists("/etc/passwd-link"))
        #expect(!fileSystem.isFile("/etc/passwd-link"))
    }

    @Test func symlinkLoopsEnd() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("detect-loop-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory + "/etc", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: directory + "/etc/a", withDestinationPath: "b")
        try FileManager.default.createSymbolicLink(atPath: directory + "/etc/b", withDestinationPath: "/etc/a")
        let fileSystem = RootFileSystem(root: directory)
        #expect(fileSystem.resolve("/etc/a/x") == nil)
        #expect(fileSystem.readFile("/etc/a") == nil)
    }

    @Test func tellsExecutablesAndListsDirectories() {
        let fileSystem = RootFileSystem(root: Fixtures.root("redhat-7/install-guide"))
        #expect(fileSystem.isExecutable("/usr/bin/systemctl"))
        #expect(!fileSystem.isExecutable("/etc/mail/greylist.conf"))
        #expect(
            fileSystem.list("/etc/systemd/system/multi-user.target.wants") == [
                "clamav-milter.service", "milter-greylist.service", "spamass-milter.service",
            ])
    }
}
