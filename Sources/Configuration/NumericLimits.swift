/// The documented range of every numeric key, checked when a file is loaded (an out-of-range
/// value is a configuration error naming file:line:column). The runtime also saturates its
/// arithmetic, so these are what an administrator can write, not what keeps it from trapping.
///
/// The README's "Known limits" lists them; change both together.
public enum NumericLimits {
    /// `milter.connection_timeout`, `writing_timeout`, `reading_timeout`,
    /// `end_of_message_timeout`: seconds, up to one day (Postfix gives up far earlier).
    public static let timeoutSeconds: ClosedRange<Double> = 0...86_400
    /// `manager.suspend_time_on_unacceptable`: 1 second to 1 hour (0 would retry `accept` in a
    /// busy loop).
    public static let suspendSeconds = 1...3_600
    /// Session counts: `manager.maintenance_interval`, `manager.max_pending_finished_sessions`.
    public static let sessionCount = 0...1_000_000_000
    /// Connection counts: `manager.max_connections`, `stress.threshold_n_connections`.
    public static let connectionCount = 0...10_000_000
    /// `manager.max_file_descriptors` (0: leave the limit as it is).
    public static let fileDescriptors = 0...16_777_216
    /// `manager.packet_buffer_size`, bytes (0: disabled).
    public static let bufferBytes = 0...(1 << 30)
    /// `manager.connection_check_interval`, seconds (0: no check).
    public static let intervalSeconds = 0...86_400
    /// `manager.chunk_size`, bytes: larger values are clamped to the protocol's 65535, as the
    /// original does.
    public static let chunkSize = 1...Int.max
    /// `manager.body_spool_threshold`, bytes: 0 (every body to a file) to 1 GiB.
    public static let spoolBytes = 0...(1 << 30)
    /// `manager.n_workers`.
    public static let workers = 0...1_000
    /// Unix socket modes.
    public static let socketMode = 0...0o777
    /// TCP ports (`database.port`).
    public static let port = 0...65_535
}
