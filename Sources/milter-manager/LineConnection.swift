#if canImport(Glibc)
    import Glibc
#endif

/// One end of the launcher's socket pair as lines: `receive()` reads what is there (blocking
/// until something is) and returns the complete lines, `send` writes one line. A line longer
/// than `maximumLine` is dropped whole (up to its newline), never buffered without bound.
struct LineConnection {
    let descriptor: Int32
    let maximumLine: Int
    private var pending: [UInt8] = []
    private var discarding = false

    init(descriptor: Int32, maximumLine: Int) {
        self.descriptor = descriptor
        self.maximumLine = maximumLine
    }

    /// The complete lines read by one read(); nil at the end (the peer closed) or on an error.
    mutating func receive() -> [[UInt8]]? {
        var buffer = [UInt8](repeating: 0, count: 16384)
        var count: Int
        repeat {
            count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        } while count < 0 && errno == EINTR
        guard count > 0 else { return nil }
        var lines: [[UInt8]] = []
        for byte in buffer[0..<count] {
            if byte == UInt8(ascii: "\n") {
                if !discarding { lines.append(pending) }
                pending.removeAll(keepingCapacity: true)
                discarding = false
            } else if !discarding {
                pending.append(byte)
                if pending.count > maximumLine {
                    pending.removeAll()
                    discarding = true
                }
            }
        }
        return lines
    }

    /// Writes `line` and a newline; false when the peer is gone.
    @discardableResult
    func send(_ line: String) -> Bool {
        let bytes = Array((line + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }
}
