/// A configuration value together with where it was set.
public struct Setting<Value: Hashable & Sendable>: Hashable, Sendable {
    /// The value in effect.
    public var value: Value
    /// Where it was set (`.default` when never set).
    public var provenance: Provenance

    /// A value and where it came from.
    public init(_ value: Value, _ provenance: Provenance = .default) {
        self.value = value
        self.provenance = provenance
    }

    /// Replaces the value and records where.
    public mutating func set(_ value: Value, at provenance: Provenance) {
        self.value = value
        self.provenance = provenance
    }
}
