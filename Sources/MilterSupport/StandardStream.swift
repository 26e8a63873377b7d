#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Standard output or standard error, unbuffered: each call is one complete write of its
/// text (`DescriptorWriter`), so lines of results and messages never interleave half-way and
/// nothing waits in a buffer when the process exits or forks.
///
/// ```swift
/// StandardStream.error.writeLine("milter-manager-config: no such directory")
/// StandardStream.output.write(report)
/// ```
public enum StandardStream: Sendable {
    /// File descriptor 1.
    case output
    /// File descriptor 2.
    case error

    /// The descriptor written to.
    public var descriptor: Int32 {
        switch self {
        case .output: return STDOUT_FILENO
        case .error: return STDERR_FILENO
        }
    }

    /// Writes `text` as it is. A failed write (a closed pipe, a full disk) is dropped: there
    /// is nowhere left to report it.
    public func write(_ text: String) {
        try? DescriptorWriter.writeAll(text, to: descriptor)
    }

    /// Writes `bytes` as they are (a failed write is dropped, as for `write(_:)` of text).
    public func write(_ bytes: [UInt8]) {
        try? DescriptorWriter.writeAll(bytes, to: descriptor)
    }

    /// Writes `line` and a newline in one write.
    public func writeLine(_ line: String) {
        write(line + "\n")
    }
}
