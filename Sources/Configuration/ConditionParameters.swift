/// The parameters of the built-in applicable conditions, set by the helpers of the
/// configuration language (`s25r.*`, `remote_network.*`, `trust.*`, `stress.*`, `dnsbl.*`).
public struct ConditionParameters: Hashable, Sendable {
    /// `S25R`.
    public var s25r: S25RParameters
    /// `Remote Network`.
    public var remoteNetwork: RemoteNetworkParameters
    /// `Trust`.
    public var trust: TrustParameters
    /// `Stress Notify`, `No Stress`.
    public var stress: StressParameters
    /// `DNSBL Listed`, `Not DNSBL Listed`.
    public var dnsbl: DNSBLParameters

    /// The built-in defaults.
    public init() {
        s25r = S25RParameters()
        remoteNetwork = RemoteNetworkParameters()
        trust = TrustParameters()
        stress = StressParameters()
        dnsbl = DNSBLParameters()
    }
}
