/// Parameters of the `Stress Notify` and `No Stress` conditions (`stress.*`, detection.md 6.6).
public struct StressParameters: Hashable, Sendable {
    /// `stress.threshold_n_connections`: stressed when this many sessions are in progress;
    /// 0 = never stressed; nil = detect from Postfix's process limit (75 %).
    public var thresholdNConnections: Setting<Int?>

    /// Auto-detected threshold.
    public init() {
        thresholdNConnections = Setting(nil)
    }
}
