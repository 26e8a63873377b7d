#if canImport(Glibc)
    import Glibc
#endif

/// Standard output and error, written at once (unbuffered).
enum CtlOutput {
    /// `text` on standard output, as is.
    static func write(_ text: String) { put(text, to: 1) }

    /// `line` and a newline on standard output.
    static func print(_ line: String) { put(line + "\n", to: 1) }

    /// `line` and a newline on standard error.
    static func error(_ line: String) { put(line + "\n", to: 2) }

    private static func put(_ text: String, to descriptor: Int32) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            offset += written
        }
    }
}
