/// Reads one kind of service manager.
protocol ServiceProbe {
    /// The services it defines for `candidate` (empty when it has none; several for FreeBSD
    /// OpenDKIM profiles).
    func inspect(_ candidate: MilterCandidate) -> [ServiceDefinition]
}
