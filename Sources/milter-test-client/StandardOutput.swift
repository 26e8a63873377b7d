#if canImport(Glibc)
    import Glibc
#endif

/// Standard output: one `write` per call, retried until everything is out.
enum StandardOutput {
    /// Writes all of `bytes` to `descriptor` (standard output by default).
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
