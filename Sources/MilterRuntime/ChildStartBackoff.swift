/// How long the manager waits between attempts to start a child that stays unreachable: the
/// first attempt at once, then `base`, twice that, ... up to `maximum` seconds after the end
/// of the previous attempt. An attempt older than `resetAfter` seconds starts the count anew
/// (a child that ran for a while and then died gets a quick restart again).
public struct ChildStartBackoff: Hashable, Sendable {
    /// Seconds after the first attempt (the original's connection retry is 5 s).
    public var base: Double
    /// The longest wait.
    public var maximum: Double
    /// Seconds after which earlier attempts are forgotten.
    public var resetAfter: Double

    /// A back-off; the defaults are 5 s, doubling up to 5 minutes, forgotten after 10 minutes.
    public init(base: Double = 5, maximum: Double = 300, resetAfter: Double = 600) {
        self.base = base
        self.maximum = maximum
        self.resetAfter = resetAfter
    }

    /// Seconds to wait after `attempts` attempts (0 for none).
    public func delay(afterAttempts attempts: Int) -> Double {
        guard attempts > 0 else { return 0 }
        var delay = base
        for _ in 1..<min(attempts, 32) where delay < maximum { delay *= 2 }
        return min(delay, maximum)
    }
}

/// A point in time twice: monotonic (for waiting) and wall-clock (for the status).
public struct HealthMoment: Hashable, Sendable {
    /// Nanoseconds of a monotonic clock.
    public var monotonic: UInt64
    /// Seconds since the epoch.
    public var wall: Double

    /// A moment.
    public init(monotonic: UInt64, wall: Double) {
        self.monotonic = monotonic
        self.wall = wall
    }

    /// Seconds from `earlier` to this moment (monotonic; 0 if earlier is later).
    public func seconds(since earlier: HealthMoment) -> Double {
        monotonic >= earlier.monotonic ? Double(monotonic - earlier.monotonic) / 1e9 : 0
    }
}
