import Configuration
import Logging

/// A swift-log handler over a `LogSink`: notice lines that start with `[statistics]` are
/// statistics, other notices are messages.
public struct MilterLogHandler: LogHandler {
    /// Where lines go.
    public let sink: LogSink
    /// Metadata (not printed).
    public var metadata: Logger.Metadata = [:]
    /// The swift-log level: everything reaches the sink, which filters by flags.
    public var logLevel: Logger.Level = .trace

    /// A handler for `sink`.
    public init(sink: LogSink) {
        self.sink = sink
        logLevel = sink.flags.contains(.trace) ? .trace : sink.flags.contains(.debug) ? .debug : .info
    }

    /// Metadata access.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one line.
    public func log(event: LogEvent) {
        let text = event.message.description
        let flag: LogLevel.Flag
        switch event.level {
        case .critical: flag = .critical
        case .error: flag = .error
        case .warning: flag = .warning
        case .notice: flag = text.hasPrefix("[statistics]") ? .statistics : .message
        case .info: flag = .info
        case .debug: flag = .debug
        case .trace: flag = .trace
        }
        sink.write(flag, text)
    }
}
