#if canImport(Glibc)
    import Glibc
#endif

/// Reads lines from a file descriptor in chunks, without holding the whole log: each line is
/// handed over without its newline (and without a carriage return before it). A line longer
/// than `maximumLength` is handed over as nil, and skipped without being buffered.
public struct LineReader {
    /// The longest line handed over, in bytes.
    public let maximumLength: Int
    private let descriptor: Int32
    private let name: String

    /// A reader of `descriptor` (not closed by the reader); `name` is the log's name for errors.
    public init(descriptor: Int32, name: String, maximumLength: Int = 65536) {
        self.descriptor = descriptor
        self.name = name
        self.maximumLength = maximumLength
    }

    /// Calls `body` with every line, in order.
    public func forEachLine(_ body: (ArraySlice<UInt8>?) -> Void) throws(AnalyzerError) {
        var buffer: [UInt8] = []
        var discarding = false
        var chunk = [UInt8](repeating: 0, count: 1 << 18)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .log(path: name, problem: errno == EISDIR ? .isDirectory : .readFailed(code: errno))
            }
            if count == 0 { break }
            var start = 0
            let bytes = chunk[0..<count]
            while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
                if discarding {
                    discarding = false
                } else if buffer.isEmpty {
                    emit(bytes[start..<newline], body)
                } else {
                    buffer.append(contentsOf: bytes[start..<newline])
                    emit(buffer[...], body)
                    buffer.removeAll(keepingCapacity: true)
                }
                start = newline + 1
            }
            if !discarding {
                buffer.append(contentsOf: bytes[start...])
                if buffer.count > maximumLength {
                    body(nil)
                    buffer.removeAll(keepingCapacity: true)
                    discarding = true
                }
            }
        }
        if !discarding && !buffer.isEmpty { emit(buffer[...], body) }
    }

    private func emit(_ line: ArraySlice<UInt8>, _ body: (ArraySlice<UInt8>?) -> Void) {
        var line = line
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        body(line.count > maximumLength ? nil : line)
    }
}
