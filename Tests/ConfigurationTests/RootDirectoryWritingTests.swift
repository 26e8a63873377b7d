import Configuration
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Writing under a root (issue 9, class 4): directories and files land inside the root whatever
/// symlinks, `..`, loops, FIFOs or files stand in the way; nothing outside it is created,
/// written or followed.
@Suite struct RootDirectoryWritingTests {
    /// A root and a directory beside it that stands for "the host outside the root".
    struct Scene {
        var root: String
        var outside: String

        init(_ label: String) {
            root = TestFiles.temporaryDirectory("rw-\(label)")
            outside = TestFiles.temporaryDirectory("rw-\(label)-outside")
        }

        func remove() {
            TestFiles.remove(root)
            TestFiles.remove(outside)
        }

        /// Every entry under the outside directory (it must stay empty but for what the test put).
        var outsideEntries: [String] {
            (FileManager.default.enumerator(atPath: outside)?.allObjects as? [String] ?? []).sorted()
        }
    }

    /// How the way to `/etc/milter-manager/milter-manager.conf` is prepared, and where the file
    /// must then be (host path relative to the root), or the error expected.
    struct LinkCase: Sendable, CustomTestStringConvertible {
        var name: String
        var prepare: @Sendable (Scene) -> Void
        var expected: Result<String, RootDirectory.WriteError>
        var testDescription: String { name }
    }

    static let file = "/etc/milter-manager/milter-manager.conf"

    static let linkCases: [LinkCase] = [
        LinkCase(name: "nothing there: parents created", prepare: { _ in }, expected: .success(file)),
        LinkCase(
            name: "directory linked by absolute path inside the root",
            prepare: { scene in
                mkdir(scene.root + "/srv", 0o755)
                mkdir(scene.root + "/srv/mm", 0o755)
                mkdir(scene.root + "/etc", 0o755)
                symlink("/srv/mm", scene.root + "/etc/milter-manager")
            }, expected: .success("/srv/mm/milter-manager.conf")),
        LinkCase(
            name: "directory linked to the host outside the root (taken inside: dangling)",
            prepare: { scene in
                mkdir(scene.root + "/etc", 0o755)
                symlink(scene.outside, scene.root + "/etc/milter-manager")
            },
            // The first missing component of the host path, taken inside the root.
            expected: .failure(.danglingLink("/tmp"))),
        LinkCase(
            name: "relative link climbing above the root stops at the root",
            prepare: { scene in
                mkdir(scene.root + "/etc", 0o755)
                symlink("../../../../../../..", scene.root + "/etc/milter-manager")
            }, expected: .success("/milter-manager.conf")),
        LinkCase(
            name: "file linked to a host file outside the root",
            prepare: { scene in
                mkdir(scene.root + "/etc", 0o755)
                mkdir(scene.root + "/etc/milter-manager", 0o755)
                FileManager.default.createFile(atPath: scene.outside + "/host.conf", contents: Data("host\n".utf8))
                symlink(scene.outside + "/host.conf", scene.root + file)
            }, expected: .failure(.danglingLink("/tmp"))),
        LinkCase(
            name: "file linked to a missing file inside the root",
            prepare: { scene in
                mkdir(scene.root + "/etc", 0o755)
                mkdir(scene.root + "/etc/milter-manager", 0o755)
                symlink("gone.conf", scene.root + file)
            }, expected: .failure(.danglingLink(file))),
        LinkCase(
            name: "looping links",
            prepare: { scene in
                mkdir(scene.root + "/etc", 0o755)
                symlink("/etc/b", scene.root + "/etc/milter-manager")
                symlink("/etc/milter-manager", scene.root + "/etc/b")
            }, expected: .failure(.symlinkLoop(file))),
        LinkCase(
            name: "a file where a directory must be",
            prepare: { scene in
                mkdir(scene.root + "/etc", 0o755)
                FileManager.default.createFile(atPath: scene.root + "/etc/milter-manager", contents: Data())
            }, expected: .failure(.notADirectory("/etc/milter-manager"))),
        LinkCase(
            name: "a FIFO where the file must be",
            prepare: { scene in
                mkdir(scene.root + "/etc", 0o755)
                mkdir(scene.root + "/etc/milter-manager", 0o755)
                mkfifo(scene.root + file, 0o644)
            }, expected: .failure(.notRegularFile(file, kind: "a FIFO"))),
        LinkCase(
            name: "a directory where the file must be",
            prepare: { scene in
                mkdir(scene.root + "/etc", 0o755)
                mkdir(scene.root + "/etc/milter-manager", 0o755)
                mkdir(scene.root + file, 0o755)
            }, expected: .failure(.notRegularFile(file, kind: "a directory"))),
    ]

    @Test(arguments: linkCases)
    func replaceFileStaysInsideTheRoot(_ row: LinkCase) throws {
        let scene = Scene("link")
        defer { scene.remove() }
        row.prepare(scene)
        let before = scene.outsideEntries
        let root = RootDirectory(scene.root)
        switch row.expected {
        case .success(let resolved):
            #expect(try root.replaceFile(Self.file, with: Array("new\n".utf8)) == resolved)
            #expect(TestFiles.read(scene.root + resolved) == "new\n")
            // No temporary file is left beside it.
            let directory = String(resolved[..<resolved.lastIndex(of: "/")!])
            let names = try FileManager.default.contentsOfDirectory(atPath: scene.root + directory)
            #expect(!names.contains { $0.hasPrefix(".milter-manager.conf.") })
        case .failure(let expected):
            #expect {
                try root.replaceFile(Self.file, with: Array("new\n".utf8))
            } throws: { error in
                guard let error = error as? RootDirectory.WriteError else { return false }
                return error == expected
            }
        }
        #expect(scene.outsideEntries == before)
        if FileManager.default.fileExists(atPath: scene.outside + "/host.conf") {
            #expect(TestFiles.read(scene.outside + "/host.conf") == "host\n")
        }
    }

    @Test func makeDirectoriesCreatesEveryMissingComponentInsideTheRoot() throws {
        let scene = Scene("mkdir")
        defer { scene.remove() }
        mkdir(scene.root + "/usr", 0o755)
        symlink("/opt", scene.root + "/usr/local")
        mkdir(scene.root + "/opt", 0o755)
        let resolved = try RootDirectory(scene.root).makeDirectories("/usr/local/etc/milter-manager/../milter-manager")
        #expect(resolved == "/opt/etc/milter-manager")
        var info = stat()
        #expect(stat(scene.root + "/opt/etc/milter-manager", &info) == 0 && info.st_mode & S_IFMT == S_IFDIR)
        #expect(info.st_mode & 0o777 == 0o755)
        // Again: nothing to do, same answer.
        #expect(try RootDirectory(scene.root).makeDirectories("/usr/local/etc/milter-manager") == resolved)
        // Through a link to a missing directory: refused, nothing created anywhere.
        symlink(scene.outside + "/new", scene.root + "/etc-link")
        #expect(throws: RootDirectory.WriteError.self) {
            try RootDirectory(scene.root).makeDirectories("/etc-link/milter-manager")
        }
        #expect(scene.outsideEntries.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: scene.root + scene.outside))
    }

    /// The target of a final link is replaced (the link kept) and keeps its mode; with
    /// `followLink: false` the link itself is replaced by a file and the target is untouched.
    @Test func finalLinkIsFollowedInsideTheRootOrReplaced() throws {
        let scene = Scene("final")
        defer { scene.remove() }
        let root = RootDirectory(scene.root)
        try root.replaceFile("/data/real.cf", with: Array("old\n".utf8))
        chmod(scene.root + "/data/real.cf", 0o640)
        mkdir(scene.root + "/etc", 0o755)
        symlink("../data/real.cf", scene.root + "/etc/main.cf")
        #expect(root.attributes(of: "/etc/main.cf")?.mode == 0o640)
        #expect(try root.replaceFile("/etc/main.cf", with: Array("new\n".utf8)) == "/data/real.cf")
        #expect(TestFiles.read(scene.root + "/data/real.cf") == "new\n")
        var info = stat()
        #expect(lstat(scene.root + "/etc/main.cf", &info) == 0 && info.st_mode & S_IFMT == S_IFLNK)
        #expect(stat(scene.root + "/data/real.cf", &info) == 0 && info.st_mode & 0o777 == 0o640)

        symlink("/data/real.cf", scene.root + "/etc/main.cf.bak")
        try root.replaceFile("/etc/main.cf.bak", with: Array("backup\n".utf8), followLink: false)
        #expect(lstat(scene.root + "/etc/main.cf.bak", &info) == 0 && info.st_mode & S_IFMT == S_IFREG)
        #expect(TestFiles.read(scene.root + "/etc/main.cf.bak") == "backup\n")
        #expect(TestFiles.read(scene.root + "/data/real.cf") == "new\n")
    }

    /// Bytes are written as given: NUL, CR, invalid UTF-8.
    @Test func bytesAreWrittenExactly() throws {
        let scene = Scene("bytes")
        defer { scene.remove() }
        let bytes: [UInt8] = [0x61, 0x00, 0x0D, 0x0A, 0xE9, 0xFF, 0x0A]
        try RootDirectory(scene.root).replaceFile("/f", with: bytes)
        #expect(FileManager.default.contents(atPath: scene.root + "/f").map(Array.init) == bytes)
    }
}
