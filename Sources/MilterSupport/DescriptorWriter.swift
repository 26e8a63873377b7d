#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writing all of a buffer to a file descriptor, unbuffered: the one write loop (standard
/// output and error, log files, files written through a temporary name).
///
/// A short write is continued and an interrupted one (`EINTR`) retried, so the bytes go out in
/// order and whole; any other failure stops and is thrown with its `errno` (`EIO` for a write that
/// wrote nothing).
public enum DescriptorWriter {
    /// A failed `write(2)`.
    public struct Failure: Error, Hashable, Sendable, CustomStringConvertible {
        /// The `errno` of the failed call.
        public var code: Int32
        /// `strerror` of the code.
        public var description: String { String(cString: strerror(code)) }

        /// The failure of a call that set `errno` to `code`.
        public init(code: Int32) {
            self.code = code
        }
    }

    /// Writes all of `bytes` to `descriptor`.
    public static func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) throws(Failure) {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let written = systemWrite(descriptor, base + offset, bytes.count - offset)
            if written < 0 {
                let code = errno
                if code == EINTR { continue }
                throw Failure(code: code)
            }
            // A write that makes no progress would loop for ever.
            if written == 0 { throw Failure(code: EIO) }
            offset += written
        }
    }

    /// Writes all of `bytes` to `descriptor`.
    public static func writeAll(_ bytes: [UInt8], to descriptor: Int32) throws(Failure) {
        try bytes.withUnsafeBytes { buffer in Result { () throws(Failure) in try writeAll(buffer, to: descriptor) } }
            .get()
    }

    /// Writes all of `bytes` to `descriptor`.
    public static func writeAll(_ bytes: ArraySlice<UInt8>, to descriptor: Int32) throws(Failure) {
        try bytes.withUnsafeBytes { buffer in Result { () throws(Failure) in try writeAll(buffer, to: descriptor) } }
            .get()
    }

    /// Writes the UTF-8 bytes of `text` (every byte, a NUL too) to `descriptor`.
    public static func writeAll(_ text: String, to descriptor: Int32) throws(Failure) {
        var text = text
        try text.withUTF8 { buffer in
            Result { () throws(Failure) in try writeAll(UnsafeRawBufferPointer(buffer), to: descriptor) }
        }.get()
    }

    private static func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
            Glibc.write(descriptor, buffer, count)
        #else
            Darwin.write(descriptor, buffer, count)
        #endif
    }
}
