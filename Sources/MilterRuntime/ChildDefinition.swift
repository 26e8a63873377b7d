import Configuration
import MilterProtocol

/// What the runtime needs to know about one child milter, taken from its `define_milter`.
public struct ChildDefinition: Hashable, Sendable {
    /// The milter's name.
    public var name: String
    /// Where it listens.
    public var connectionSpec: ConnectionSpec
    /// What its failure compiles to.
    public var fallbackStatus: MilterStatus
    /// Whether its refusals are only logged.
    public var evaluationMode: Bool
    /// Applicable conditions, in order.
    public var conditions: [ApplicableCondition]
    /// Seconds to connect and negotiate.
    public var connectionTimeout: Double
    /// Seconds to write a command.
    public var writingTimeout: Double
    /// Seconds to wait for a reply.
    public var readingTimeout: Double
    /// Seconds to wait for the end-of-message reply (restarted by progress).
    public var endOfMessageTimeout: Double

    /// A child; what is not given is its `milter.*` key's default (timeouts: 297/7/7/297 s).
    public init(
        name: String, connectionSpec: ConnectionSpec,
        fallbackStatus: MilterStatus = MilterStatus(MilterKey.fallbackStatus.builtInDefault),
        evaluationMode: Bool = MilterKey.evaluationMode.builtInDefault, conditions: [ApplicableCondition] = [],
        connectionTimeout: Double = MilterKey.connectionTimeout.builtInDefault,
        writingTimeout: Double = MilterKey.writingTimeout.builtInDefault,
        readingTimeout: Double = MilterKey.readingTimeout.builtInDefault,
        endOfMessageTimeout: Double = MilterKey.endOfMessageTimeout.builtInDefault
    ) {
        self.name = name
        self.connectionSpec = connectionSpec
        self.fallbackStatus = fallbackStatus
        self.evaluationMode = evaluationMode
        self.conditions = conditions
        self.connectionTimeout = connectionTimeout
        self.writingTimeout = writingTimeout
        self.readingTimeout = readingTimeout
        self.endOfMessageTimeout = endOfMessageTimeout
    }
}

/// Settings of the manager that every session uses.
public struct SessionSettings: Sendable {
    /// `manager.fallback_status`: the answer when no child is left.
    public var fallbackStatus: MilterStatus
    /// `manager.chunk_size`: body bytes per packet when replaying and replacing (≤ 65535).
    public var chunkSize: Int
    /// Seconds without an MTA command before the session is closed (7210 in the original).
    public var mtaIdleTimeout: Double
    /// Whether info and debug lines are produced (log level info or debug).
    public var detailedLogging: Bool
    /// `manager.body_spool_threshold` and `manager.body_spool_directory`: bodies larger than
    /// the threshold are kept in an unlinked file in the directory.
    var bodySpool: BodySpool.Settings

    /// Settings; what is not given is its `manager.*` key's default.
    public init(
        fallbackStatus: MilterStatus = MilterStatus(ManagerKey.fallbackStatus.builtInDefault),
        chunkSize: Int = ManagerKey.chunkSize.builtInDefault, mtaIdleTimeout: Double = 7210,
        detailedLogging: Bool = true, bodySpoolThreshold: Int = ManagerKey.bodySpoolThreshold.builtInDefault,
        bodySpoolDirectory: String = ManagerKey.bodySpoolDirectory.builtInDefault
    ) {
        self.fallbackStatus = fallbackStatus
        self.chunkSize = max(1, min(chunkSize, MilterFrame.chunkSize))
        self.mtaIdleTimeout = mtaIdleTimeout
        self.detailedLogging = detailedLogging
        self.bodySpool = BodySpool.Settings(threshold: bodySpoolThreshold, directory: bodySpoolDirectory)
    }
}
