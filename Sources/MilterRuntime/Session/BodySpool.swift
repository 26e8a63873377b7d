import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// A message body as a list of chunks: in memory while it is small, in an unlinked temporary
/// file (mode 0600, `manager.body_spool_directory`) once it grows past
/// `manager.body_spool_threshold`, so that big mail costs disk, not memory. Chunks keep their
/// boundaries (the MTA's chunking, or `rechunk` pieces) and are read back one at a time.
///
/// A failure to create, write or read the file is kept in `failure` (the message then gets the
/// fallback status); the chunks stored before it stay readable as far as they were written.
/// The file is read and written with plain blocking calls on the session's loop: it is a local
/// file, normally in the page cache. Used on that one loop only (hence `@unchecked Sendable`, so
/// that a `SessionAction` can carry it); two spools are equal when they are the same object.
public final class BodySpool: @unchecked Sendable, Hashable {
    /// Where and from which size bodies go to a file.
    struct Settings: Sendable, Equatable {
        /// Bodies larger than this many bytes go to a file.
        var threshold: Int
        /// The directory of the files.
        var directory: String
    }

    private let settings: Settings
    /// The chunks while in memory.
    private var memory: [ByteBuffer] = []
    /// The file once spooled, and each chunk's place in it.
    private var descriptor: CInt?
    private var extents: [(offset: Int, length: Int)] = []
    /// Bytes stored.
    private(set) var byteCount = 0
    /// The length of the longest chunk.
    private(set) var largestChunk = 0
    /// The first failure.
    private(set) var failure: BodySpoolError?

    /// An empty body.
    init(settings: Settings) {
        self.settings = settings
    }

    /// The same spool.
    public static func == (lhs: BodySpool, rhs: BodySpool) -> Bool { lhs === rhs }

    /// Its identity.
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }

    deinit {
        if let descriptor { close(descriptor) }
    }

    /// The number of chunks.
    var count: Int { descriptor == nil ? memory.count : extents.count }

    /// Whether the body is in a file.
    var isSpooled: Bool { descriptor != nil }

    /// Every chunk, read into memory (tests and small bodies).
    func chunks() throws(BodySpoolError) -> [ByteBuffer] {
        var result: [ByteBuffer] = []
        for index in 0..<count { result.append(try chunk(at: index)) }
        return result
    }

    /// Appends a chunk (nothing once a failure happened).
    func append(_ chunk: ByteBuffer) {
        guard failure == nil else { return }
        largestChunk = max(largestChunk, chunk.readableBytes)
        if descriptor == nil {
            if byteCount + chunk.readableBytes <= settings.threshold {
                // A copy: the chunk is a slice of a read buffer that can be twice its size.
                memory.append(ByteBuffer(bytes: chunk.readableBytesView))
                byteCount += chunk.readableBytes
                return
            }
            guard spool() else { return }
        }
        write(chunk)
    }

    /// Chunk `index`, read from the file when spooled; a read error is also kept in `failure`.
    func chunk(at index: Int) throws(BodySpoolError) -> ByteBuffer {
        guard let descriptor else { return memory[index] }
        let extent = extents[index]
        var buffer = ByteBuffer()
        buffer.reserveCapacity(extent.length)
        var done = 0
        while done < extent.length {
            var result = 0
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: extent.length - done) { raw in
                result = pread(descriptor, raw.baseAddress, extent.length - done, off_t(extent.offset + done))
                return max(result, 0)
            }
            if result < 0 && errno == EINTR { continue }
            if result <= 0 {
                let error = BodySpoolError.read(directory: settings.directory, errno: result < 0 ? errno : EIO)
                failure = failure ?? error
                throw error
            }
            done += result
        }
        return buffer
    }

    /// Cuts the body again into pieces of `size` bytes (the last one shorter).
    func rechunk(size: Int) {
        largestChunk = min(size, byteCount)
        if descriptor != nil {
            extents = stride(from: 0, to: byteCount, by: size).map { ($0, min(size, byteCount - $0)) }
            return
        }
        var joined = ByteBuffer()
        joined.reserveCapacity(byteCount)
        for var chunk in memory { joined.writeBuffer(&chunk) }
        memory = stride(from: 0, to: byteCount, by: size).map {
            joined.getSlice(at: $0, length: min(size, byteCount - $0))!
        }
    }

    /// Moves what is in memory to a new unlinked file; false (and `failure` set) when it cannot.
    private func spool() -> Bool {
        var template = Array("\(settings.directory)/milter-manager-body.XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            failure = .create(directory: settings.directory, errno: errno)
            return false
        }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        descriptor = fd
        let pending = memory
        memory = []
        byteCount = 0
        for chunk in pending { write(chunk) }
        return failure == nil
    }

    /// Writes a chunk at the end of the file.
    private func write(_ chunk: ByteBuffer) {
        guard let descriptor, failure == nil else { return }
        let offset = byteCount
        let length = chunk.readableBytes
        var done = 0
        while done < length {
            let count = chunk.withUnsafeReadableBytes { raw in
                pwrite(descriptor, raw.baseAddress! + done, length - done, off_t(offset + done))
            }
            if count < 0 {
                if errno == EINTR { continue }
                failure = .write(directory: settings.directory, errno: errno)
                return
            }
            done += count
        }
        extents.append((offset, length))
        byteCount += length
    }
}
