#if canImport(Glibc)
    import Glibc
#endif

/// Standard output, unbuffered per call (results are written in one piece).
enum Output {
    /// Writes all of `bytes` to standard output (or another descriptor).
    static func write(_ bytes: [UInt8], to descriptor: CInt = STDOUT_FILENO) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}
