import MilterControl
import NIOConcurrencyHelpers
import NIOCore

/// Process-wide session counters and tags, shared by every event loop, and the children's
/// health (`health`), which sessions report their child connections to.
public final class SessionRegistry: Sendable {
    private struct Counters {
        var nextTag = 1
        var inProgress = 0
        var processed = 0
    }

    private let counters = NIOLockedValueBox(Counters())
    /// The children's connections and starts.
    public let health: ChildHealthRegistry

    /// An empty registry; `health` defaults to one on the system clocks.
    public init(health: ChildHealthRegistry? = nil) {
        self.health = health ?? ChildHealthRegistry(clock: SessionRegistry.systemMoment)
    }

    /// Now, on the monotonic clock NIO uses and on the wall clock.
    @Sendable public static func systemMoment() -> HealthMoment {
        HealthMoment(monotonic: NIODeadline.now().uptimeNanoseconds, wall: UTCTime.now())
    }

    /// Reserves `count` consecutive tags (never 0).
    public func allocateTags(_ count: Int) -> Int {
        counters.withLockedValue { counters in
            let first = counters.nextTag
            counters.nextTag += count
            return first
        }
    }

    /// A session started.
    public func sessionStarted() {
        counters.withLockedValue { $0.inProgress += 1 }
    }

    /// A session ended; returns (processed so far, still in progress) for the statistics line.
    public func sessionFinished() -> (processed: Int, inProgress: Int) {
        counters.withLockedValue { counters in
            counters.inProgress -= 1
            counters.processed += 1
            return (counters.processed, counters.inProgress)
        }
    }

    /// Sessions in progress now.
    public var inProgress: Int { counters.withLockedValue { $0.inProgress } }

    /// Sessions finished since start.
    public var finished: Int { counters.withLockedValue { $0.processed } }
}
