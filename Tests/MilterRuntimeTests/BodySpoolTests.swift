import Foundation
import MilterProtocol
import MilterTestSupport
import NIOCore
import Testing

@testable import MilterRuntime

/// Big bodies go to an unlinked file (manager.body_spool_threshold / body_spool_directory): the
/// spool itself, then whole messages through real libmilter children that see and replace the
/// body, and a spool directory that cannot be written.
@Suite("Body spool", .serialized)
struct BodySpoolTests {
    /// A body of `count` bytes that is not one repeated pattern (every chunk differs).
    static func body(_ count: Int) -> [UInt8] {
        var state: UInt32 = 2_463_534_242
        return (0..<count).map { _ in
            state ^= state << 13
            state ^= state >> 17
            state ^= state << 5
            return UInt8(truncatingIfNeeded: state)
        }
    }

    /// (threshold, chunk sizes appended, whether it ends in a file)
    static let spoolCases: [(Int, [Int], Bool)] = [
        (100, [40, 60], false),
        (100, [40, 61], true),
        (0, [1], true),
        (0, [0], false),
        (10, [65_535, 65_535, 3], true),
    ]

    @Test(arguments: spoolCases)
    func chunksComeBackAsStored(threshold: Int, sizes: [Int], spooled: Bool) throws {
        let directory = try TestPaths.makeTemporaryDirectory("spool")
        defer { try? FileManager.default.removeItem(at: directory) }
        let spool = BodySpool(settings: .init(threshold: threshold, directory: directory.path))
        let bytes = Self.body(sizes.reduce(0, +))
        var offset = 0
        for size in sizes {
            spool.append(ByteBuffer(bytes: bytes[offset..<offset + size]))
            offset += size
        }
        #expect(spool.failure == nil)
        #expect(spool.isSpooled == spooled)
        #expect(spool.count == sizes.count)
        #expect(try spool.chunks().map(\.readableBytes) == sizes)
        #expect(try spool.chunks().flatMap { Array($0.readableBytesView) } == bytes)
        // The file has no name left in the directory.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == [])
        spool.rechunk(size: 7)
        #expect(try spool.chunks().flatMap { Array($0.readableBytesView) } == bytes)
        #expect(try spool.chunks().dropLast().allSatisfy { $0.readableBytes == 7 })
    }

    /// A directory that is not one, one that does not exist: the failure is kept, nothing is
    /// written anywhere, the chunks stored before stay readable.
    @Test(arguments: ["not-a-directory/spool", "missing/deeper"])
    func aSpoolThatCannotBeCreatedIsAFailure(_ relative: String) throws {
        let directory = try TestPaths.makeTemporaryDirectory("spool")
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(
            FileManager.default.createFile(
                atPath: directory.appendingPathComponent("not-a-directory").path, contents: nil))
        let target = directory.appendingPathComponent(relative).path
        let spool = BodySpool(settings: .init(threshold: 4, directory: target))
        spool.append(ByteBuffer(string: "abc"))
        spool.append(ByteBuffer(string: "defg"))
        spool.append(ByteBuffer(string: "h"))
        guard case .create(let where_, _)? = spool.failure else {
            Issue.record("expected a create failure, got \(String(describing: spool.failure))")
            return
        }
        #expect(where_ == target)
        #expect(spool.failure?.description.contains("manager.body_spool_directory") == true)
        #expect(try spool.chunk(at: 0) == ByteBuffer(string: "abc"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["not-a-directory"])
    }

    // MARK: - Through real children

    private func startManager(
        _ milters: [(String, [String])], directory: URL, spoolDirectory: String, fallback: MilterStatus
    ) async throws -> (ManagerServer, [Subprocess], String) {
        let (processes, children) = try InProcessManager.startMilters(milters, in: directory, fallback: .accept)
        let settings = SessionSettings(
            fallbackStatus: fallback, bodySpoolThreshold: 256 << 10, bodySpoolDirectory: spoolDirectory)
        let (server, socketPath) = try await InProcessManager.start(
            in: directory, children: children, session: settings)
        return (server, processes, socketPath)
    }

    /// One message with `body` (in 65535-byte chunks) through the manager: the first reply to
    /// a command that was not continue, and every reply to end-of-message.
    private func session(_ path: String, body: [UInt8]) async throws -> (early: MilterReply?, eom: [MilterReply]) {
        let chunks: [MilterCommand] = stride(from: 0, to: body.count, by: MilterFrame.chunkSize).map {
            .body(ByteBuffer(bytes: body[$0..<min($0 + MilterFrame.chunkSize, body.count)]))
        }
        let outcome = try await TestMTA.message(
            path, steps: [],
            commands: TestMTA.envelope + [.header(name: "Subject", value: "big"), .endOfHeader] + chunks)
        return (outcome.early, outcome.eom)
    }

    /// 3 MiB through two children that each keep the body they got and send it back whole
    /// (`b`), with its length and byte sum as headers: the second child saw the first one's
    /// body, every byte arrives, and nothing stays in the spool directory.
    @Test func aBodyAboveTheThresholdArrivesIntactThroughChildrenThatReplaceIt() async throws {
        let directory = try TestPaths.makeTemporaryDirectory("spool-server")
        defer { try? FileManager.default.removeItem(at: directory) }
        let spoolDirectory = directory.appendingPathComponent("spool")
        try FileManager.default.createDirectory(at: spoolDirectory, withIntermediateDirectories: false)
        let (server, milters, socketPath) = try await startManager(
            [("first", ["--replace-body"]), ("second", ["--replace-body", "--add-header", "X-Second:two"])],
            directory: directory, spoolDirectory: spoolDirectory.path, fallback: .temporaryFailure)
        let body = Self.body(3 << 20 + 12_345)
        let result: (early: MilterReply?, eom: [MilterReply])
        do {
            result = try await session(socketPath, body: body)
        } catch {
            await server.shutdown(grace: 5)
            for milter in milters { milter.kill9() }
            throw error
        }
        await server.shutdown(grace: 5)
        for milter in milters { milter.kill9() }
        #expect(result.early == nil)
        var received: [UInt8] = []
        var headers: [String] = []
        for reply in result.eom {
            switch reply {
            case .modification(.replaceBody(let chunk)):
                #expect(chunk.readableBytes <= MilterFrame.chunkSize)
                received += chunk.readableBytesView
            case .modification(.insertHeader(_, let name, let value)), .modification(.addHeader(let name, let value)):
                headers.append("\(name.string): \(value.string)")
            default:
                break
            }
        }
        #expect(received.count == body.count)
        #expect(received == body)
        let sum = body.reduce(UInt32(0)) { $0 &+ UInt32($1) }
        let length = "X-Body-Length: \(body.count)"
        #expect(headers.filter { $0 == length }.count == 2)
        #expect(headers.filter { $0 == "X-Body-Sum: \(sum)" }.count == 2)
        #expect(headers.contains("X-Second: two"))
        #expect(result.eom.last == .accept)
        #expect(try FileManager.default.contentsOfDirectory(atPath: spoolDirectory.path) == [])
    }

    /// The spool directory is a regular file: the message gets the fallback status (here
    /// temporary failure) as soon as its body passes the threshold, and the manager goes on to
    /// serve the next message (a small one, kept in memory).
    @Test func anUnusableSpoolDirectoryGivesTheMessageTheFallbackStatus() async throws {
        let directory = try TestPaths.makeTemporaryDirectory("spool-server")
        defer { try? FileManager.default.removeItem(at: directory) }
        let notDirectory = directory.appendingPathComponent("spool")
        #expect(FileManager.default.createFile(atPath: notDirectory.path, contents: Data("x".utf8)))
        let (big, small) = try await bigThenSmall(
            directory: directory, spoolDirectory: notDirectory.path, bigBody: Self.body(1 << 20))
        #expect(big.early == .temporaryFailure)
        #expect(small.early == nil)
        #expect(small.eom == [.modification(.insertHeader(index: 1, name: "X-First", value: "one")), .accept])
    }

    /// A message with `bigBody`, then a small one, through a manager whose spool is
    /// `spoolDirectory` (fallback temporary failure) and one child that adds a header.
    private func bigThenSmall(directory: URL, spoolDirectory: String, bigBody: [UInt8]) async throws -> (
        big: (early: MilterReply?, eom: [MilterReply]), small: (early: MilterReply?, eom: [MilterReply])
    ) {
        let (server, milters, socketPath) = try await startManager(
            [("first", ["--add-header", "X-First:one"])], directory: directory, spoolDirectory: spoolDirectory,
            fallback: .temporaryFailure)
        defer { for milter in milters { milter.kill9() } }
        do {
            let big = try await session(socketPath, body: bigBody)
            let small = try await session(socketPath, body: Array("Hello.\r\n".utf8))
            await server.shutdown(grace: 5)
            return (big, small)
        } catch {
            await server.shutdown(grace: 5)
            throw error
        }
    }

    /// Whether this process may mount a tmpfs (root in a machine that allows it): the full-disk
    /// test needs a file system it can fill without filling the machine's.
    static let canMountTmpfs: Bool = {
        guard getuid() == 0, let directory = try? TestPaths.makeTemporaryDirectory("mount-probe") else { return false }
        defer { try? FileManager.default.removeItem(at: directory) }
        guard mount("tmpfs", directory.path, "tmpfs", 0, "size=64k") == 0 else { return false }
        umount(directory.path)
        return true
    }()

    /// The spool directory is on a file system that fills up while a body is written to it
    /// (a 512 KiB tmpfs, a 2 MiB body): the message gets the fallback status, the manager
    /// goes on to serve the next message, and nothing is left in the directory.
    @Test(.enabled(if: canMountTmpfs, "needs root and a machine that allows mounting a tmpfs"))
    func aFullSpoolFileSystemGivesTheMessageTheFallbackStatus() async throws {
        let directory = try TestPaths.makeTemporaryDirectory("spool-server")
        defer { try? FileManager.default.removeItem(at: directory) }
        let spoolDirectory = directory.appendingPathComponent("spool")
        try FileManager.default.createDirectory(at: spoolDirectory, withIntermediateDirectories: false)
        try #require(mount("tmpfs", spoolDirectory.path, "tmpfs", 0, "size=512k") == 0)
        defer { umount(spoolDirectory.path) }
        let (big, small) = try await bigThenSmall(
            directory: directory, spoolDirectory: spoolDirectory.path, bigBody: Self.body(2 << 20))
        #expect(big.early == .temporaryFailure || big.eom == [.temporaryFailure], "\(big)")
        #expect(small.early == nil)
        #expect(small.eom == [.modification(.insertHeader(index: 1, name: "X-First", value: "one")), .accept])
        #expect(try FileManager.default.contentsOfDirectory(atPath: spoolDirectory.path) == [])
    }
}
