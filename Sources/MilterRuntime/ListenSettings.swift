import MilterProtocol

/// Where a listener listens and, for a unix socket, the socket file's mode, group and
/// removal rules (the main socket's `manager.*` keys, the control socket's `controller.*`).
public struct ListenSettings: Hashable, Sendable {
    /// The spec.
    public var spec: ConnectionSpec
    /// The unix socket's mode.
    public var unixSocketMode: UInt16
    /// The unix socket's group (a name), if any.
    public var unixSocketGroup: String?
    /// Remove a stale socket (nothing listens) before binding.
    public var removeUnixSocketOnCreate: Bool
    /// Remove the socket when stopping (only if it is still the one bound).
    public var removeUnixSocketOnClose: Bool

    /// Settings; the defaults are the original's.
    public init(
        spec: ConnectionSpec, unixSocketMode: UInt16 = 0o660, unixSocketGroup: String? = nil,
        removeUnixSocketOnCreate: Bool = true, removeUnixSocketOnClose: Bool = true
    ) {
        self.spec = spec
        self.unixSocketMode = unixSocketMode
        self.unixSocketGroup = unixSocketGroup
        self.removeUnixSocketOnCreate = removeUnixSocketOnCreate
        self.removeUnixSocketOnClose = removeUnixSocketOnClose
    }
}
