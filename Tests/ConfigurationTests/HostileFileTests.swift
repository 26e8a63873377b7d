import Configuration
import Foundation
import MilterProtocol
import MilterSupport
import MilterTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What can stand where milter-manager.conf is expected: every case loads nothing silently and
/// names the path (issue 9, classes 2 and 3), and nothing outside the root is read.
@Suite struct HostileFileTests {
    static let directory = "/etc/milter-manager"
    static let mainFile = directory + "/milter-manager.conf"

    /// A root whose milter-manager.conf is made by `make` (given the host path of the file).
    struct FileCase: Sendable, CustomTestStringConvertible {
        var name: String
        var make: @Sendable (_ root: String, _ file: String) -> Void
        var message: String
        var testDescription: String { name }
    }

    static let fileCases: [FileCase] = [
        FileCase(name: "FIFO", make: { _, file in mkfifo(file, 0o644) }, message: "it is a FIFO, not a regular file"),
        FileCase(
            name: "symlink to /dev/zero",
            make: { root, file in
                symlink("/dev/zero", file)
                mkdir(root + "/dev", 0o755)
                mknodOrLink(root + "/dev/zero")
            }, message: "not a regular file"),
        FileCase(
            name: "self-symlink", make: { _, file in symlink("milter-manager.conf", file) },
            message: "too many levels of symbolic links"),
        FileCase(
            name: "loop of two links",
            make: { _, file in
                symlink("b.conf", file)
                symlink("milter-manager.conf", String(file.dropLast("milter-manager.conf".count)) + "b.conf")
            }, message: "too many levels of symbolic links"),
        FileCase(
            name: "dangling symlink", make: { _, file in symlink("/nonexistent/milter-manager.conf", file) },
            message: "it is a dangling symbolic link"),
        FileCase(
            name: "directory", make: { _, file in mkdir(file, 0o755) }, message: "it is a directory, not a regular file"
        ),
        FileCase(
            name: "larger than the limit",
            make: { _, file in
                let descriptor = open(file, O_WRONLY | O_CREAT, 0o644)
                ftruncate(descriptor, off_t(BoundedFile.defaultSizeLimit + 1))
                close(descriptor)
            }, message: "it is larger than \(BoundedFile.defaultSizeLimit) bytes"),
    ]

    /// A character device if this process may make one (root), else a link to the host's.
    static func mknodOrLink(_ path: String) {
        if mknod(path, S_IFCHR | 0o666, dev_t((1 << 8) | 5)) != 0 { symlink("/dev/zero", path) }
    }

    @Test(arguments: fileCases)
    func anUnreadableMainFileIsAnErrorNamingIt(_ row: FileCase) throws {
        let root = TestFiles.temporaryDirectory("hostile")
        defer { TestFiles.remove(root) }
        TestFiles.write("", to: root + Self.directory + "/.keep")
        row.make(root, root + Self.mainFile)
        let result = ConfigurationLoader(root: root, platform: .debian, detector: FixedDetector.debian).load()
        #expect(!result.usedBuiltInDefault)
        let error = try #require(result.errors.first)
        #expect(result.errors.count == 1)
        #expect(error.kind.message.hasPrefix("cannot read \(Self.mainFile): "), "\(error.kind.message)")
        #expect(error.kind.message.contains(row.message), "\(error.kind.message)")
        #expect(result.configuration.milters.isEmpty)
    }

    @Test func aMissingConfigDirectoryIsAnError() {
        let root = TestFiles.temporaryDirectory("nodir")
        defer { TestFiles.remove(root) }
        let result = ConfigurationLoader(
            root: root, configDirectory: "/etc/milter-manager-typo", platform: .debian, detector: FixedDetector.debian
        ).load()
        #expect(result.errors.map(\.kind) == [.configDirectoryNotFound("/etc/milter-manager-typo")])
        #expect(!result.usedBuiltInDefault)
        #expect(result.configuration.milters.isEmpty)
    }

    @Test func aConfigDirectoryThatIsAFileIsAnError() {
        let root = TestFiles.temporaryDirectory("dirfile")
        defer { TestFiles.remove(root) }
        TestFiles.write("x", to: root + "/etc/mm")
        let result = ConfigurationLoader(root: root, configDirectory: "/etc/mm", platform: .debian, detector: nil)
            .load()
        #expect(result.errors.map(\.kind) == [.unreadableFile("/etc/mm", reason: "it is not a directory")])
    }

    @Test func withoutAnyFileTheBuiltInDefaultStillApplies() {
        let root = TestFiles.temporaryDirectory("empty")
        defer { TestFiles.remove(root) }
        let result = ConfigurationLoader(root: root, platform: .debian, detector: FixedDetector.debian).load()
        #expect(result.errors.isEmpty)
        #expect(result.usedBuiltInDefault)
    }

    /// An absolute symlink is taken inside the root: the host's file is never read.
    @Test func symlinksStayInsideTheRoot() throws {
        let root = TestFiles.temporaryDirectory("escape")
        defer { TestFiles.remove(root) }
        let outside = TestFiles.temporaryDirectory("outside")
        defer { TestFiles.remove(outside) }
        TestFiles.write("manager.connection_spec = \"unix:/outside.sock\"\n", to: outside + "/secret.conf")
        TestFiles.write("", to: root + Self.directory + "/.keep")
        symlink(outside + "/secret.conf", root + Self.mainFile)
        TestFiles.write("load \"../../../../../../..\(outside)/secret.conf\"\n", to: root + "/etc/other.conf")
        let result = ConfigurationLoader(root: root, platform: .debian, detector: nil).load()
        #expect(result.errors.first?.kind.message.contains("dangling symbolic link") == true)
        let viaLoad = ConfigurationLoader(root: root, configDirectory: "/etc", platform: .debian, detector: nil)
        let loaded = viaLoad.load(text: "load \"/etc/other.conf\"\n", file: "/etc/x.conf")
        #expect(loaded.configuration.manager.connectionSpec.value.text != "unix:/outside.sock")
        #expect(!loaded.errors.isEmpty)

        // The same file copied inside the root, where the link points when read as `/`, is read.
        TestFiles.write("manager.connection_spec = \"unix:/inside.sock\"\n", to: root + outside + "/secret.conf")
        let inside = ConfigurationLoader(root: root, platform: .debian, detector: nil).load()
        #expect(inside.errors.isEmpty)
        #expect(inside.configuration.manager.connectionSpec.value.text == "unix:/inside.sock")
    }

    /// Run by the daemon in its own working directory (changing this process's directory would
    /// race the tests running beside it).
    @Test func aRelativeRootIsTakenAgainstTheWorkingDirectory() throws {
        let root = TestFiles.temporaryDirectory("relative")
        defer { TestFiles.remove(root) }
        TestFiles.write("manager.connection_spec = \"unix:/rel.sock\"\n", to: root + Self.mainFile)
        let parent = String(root[..<root.lastIndex(of: "/")!])
        let name = String(root[root.index(after: root.lastIndex(of: "/")!)...])
        let daemon = try TestPaths.product("milter-manager").path
        let result = try Subprocess.run(
            "/bin/sh",
            [
                "-c", "cd \"$1\" && exec \"$2\" --root \"$3\" --platform debian --show-config", "sh", parent, daemon,
                name,
            ])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("manager.connection_spec = \"unix:/rel.sock\"\n"))
    }

    @Test func binaryAndNonUTF8ContentIsReportedNotCrashedOn() throws {
        let root = TestFiles.temporaryDirectory("binary")
        defer { TestFiles.remove(root) }
        TestFiles.write("", to: root + Self.mainFile)
        var bytes: [UInt8] = Array("manager.connection_spec = \"unix:/a\u{E9}.sock\"\n".utf8)
        bytes += [0xFF, 0xFE, 0x00, 0x01, 0x80, 0x0A] + Array("log.level = \"\u{0}\"\n".utf8)
        bytes += (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919) }
        try Data(bytes).write(to: URL(fileURLWithPath: root + Self.mainFile))
        let result = ConfigurationLoader(root: root, platform: .debian, detector: nil).load()
        #expect(!result.errors.isEmpty)
        #expect(result.errors.allSatisfy { $0.location.file == Self.mainFile && $0.location.line >= 1 })
    }

    /// A FIFO as a loaded file must not block (it is opened without blocking and refused).
    @Test func aFIFOLoadedByAnotherFileDoesNotHang() {
        let root = TestFiles.temporaryDirectory("fifo")
        defer { TestFiles.remove(root) }
        TestFiles.write("load_if_exist \"milter-manager.local.conf\"\n", to: root + Self.mainFile)
        mkfifo(root + Self.directory + "/milter-manager.local.conf", 0o644)
        let result = ConfigurationLoader(root: root, platform: .debian, detector: nil).load()
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.location.line == 1)
        #expect(result.errors.first?.kind.message.contains("FIFO") == true)
    }
}
