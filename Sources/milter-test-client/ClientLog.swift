import MilterSupport

#if canImport(Glibc)
    import Glibc
#endif

/// `--verbose` messages, to standard error or to `--log-path`.
struct ClientLog: Sendable {
    /// Where messages go (standard error, or the log file's descriptor).
    let descriptor: CInt
    /// Whether `verbose` messages are written.
    let isVerbose: Bool

    /// A `--verbose` message.
    func verbose(_ message: @autoclosure () -> String) {
        guard isVerbose else { return }
        try? DescriptorWriter.writeAll("milter-test-client: \(message())\n", to: descriptor)
    }

    /// A message always written (start-up failures).
    func error(_ message: String) {
        try? DescriptorWriter.writeAll("milter-test-client: \(message)\n", to: descriptor)
    }
}
