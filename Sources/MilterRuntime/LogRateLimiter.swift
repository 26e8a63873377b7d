import NIOConcurrencyHelpers
import NIOCore

/// Lets a recurring warning through at most once per interval per key, and counts what it held
/// back so that the next line can say so.
public final class LogRateLimiter: Sendable {
    private struct Slot {
        var lastReported: UInt64
        var suppressed: Int
    }

    private let interval: UInt64
    private let now: @Sendable () -> UInt64
    private let slots = NIOLockedValueBox<[String: Slot]>([:])

    /// At most one line per `intervalSeconds` per key; `now` gives monotonic nanoseconds.
    public init(intervalSeconds: Double, now: @escaping @Sendable () -> UInt64) {
        interval = UInt64(TimeAmount.saturating(seconds: intervalSeconds).nanoseconds)
        self.now = now
    }

    /// Whether a line for `key` may be written now, and how many were held back since the last one.
    public func admit(_ key: String) -> (admitted: Bool, suppressed: Int) {
        let time = now()
        return slots.withLockedValue { slots in
            if var slot = slots[key], time &- slot.lastReported < interval {
                slot.suppressed += 1
                slots[key] = slot
                return (false, 0)
            }
            let suppressed = slots[key]?.suppressed ?? 0
            slots[key] = Slot(lastReported: time, suppressed: 0)
            return (true, suppressed)
        }
    }
}
