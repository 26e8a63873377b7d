import Configuration
import MilterProtocol
import NIOCore

/// Everything the proxy needs to run, as loaded from milter-manager.conf and the command line.
public struct RuntimeConfiguration: Sendable {
    /// `manager.connection_spec`: where the MTA connects.
    public var listenSpec: ConnectionSpec
    /// `manager.unix_socket_mode`.
    public var unixSocketMode: UInt16
    /// `manager.unix_socket_group` (a group name), if any.
    public var unixSocketGroup: String?
    /// `manager.remove_unix_socket_on_create`.
    public var removeUnixSocketOnCreate: Bool
    /// `manager.remove_unix_socket_on_close`.
    public var removeUnixSocketOnClose: Bool
    /// `manager.max_connections` (0: unlimited).
    public var maxConnections: Int
    /// `manager.suspend_time_on_unacceptable` in seconds.
    public var suspendTimeOnUnacceptable: Double
    /// The shortest pause of the accept loop: a configured 0 (or NaN, or a negative number)
    /// would make it check again at once, and spin.
    public static let minimumSuspendTime = 0.1
    /// The enabled children, in order.
    public var children: [ResolvedChild]
    /// Session-wide settings.
    public var session: SessionSettings
    /// Largest packet accepted from the MTA or a child.
    public var maximumFrameLength: Int
    /// Every defined milter (enabled or not), for the status and for starting children.
    public var catalog: [MilterCatalogEntry] = []
    /// `security.privilege_mode`: children with a command are started when unreachable.
    public var privilegeMode = false
    /// The control socket (`controller.*`), nil when `controller.connection_spec` is nil.
    public var controller: ListenSettings?
    /// The scripts of the conditions' `lua_script`, in the order their conditions refer to them.
    public var conditionScripts: [ConditionScript] = []
    /// The DNSBL look-ups, when a milter uses `DNSBL Listed` or `Not DNSBL Listed`.
    public var dnsbl: DNSBLChecker?
    /// The Lua states of `conditionScripts`, one per event loop (`ManagerServer` makes them
    /// when it starts and at each reload).
    public var luaStates: LuaStatePool?

    /// A configuration; what is not given is its key's default (`ConfigurationKey.builtInDefault`).
    public init(
        listenSpec: ConnectionSpec, children: [ResolvedChild], session: SessionSettings = SessionSettings(),
        unixSocketMode: UInt16 = socketMode(ManagerKey.unixSocketMode.builtInDefault),
        unixSocketGroup: String? = ManagerKey.unixSocketGroup.builtInDefault,
        removeUnixSocketOnCreate: Bool = ManagerKey.removeUnixSocketOnCreate.builtInDefault,
        removeUnixSocketOnClose: Bool = ManagerKey.removeUnixSocketOnClose.builtInDefault,
        maxConnections: Int = ManagerKey.maxConnections.builtInDefault,
        suspendTimeOnUnacceptable: Double = Double(ManagerKey.suspendTimeOnUnacceptable.builtInDefault),
        maximumFrameLength: Int = MilterFrame.defaultMaximumLength
    ) {
        self.listenSpec = listenSpec
        self.children = children
        self.session = session
        self.unixSocketMode = unixSocketMode
        self.unixSocketGroup = unixSocketGroup
        self.removeUnixSocketOnCreate = removeUnixSocketOnCreate
        self.removeUnixSocketOnClose = removeUnixSocketOnClose
        self.maxConnections = maxConnections
        self.suspendTimeOnUnacceptable = suspendTimeOnUnacceptable
        self.maximumFrameLength = maximumFrameLength
    }
}

extension RuntimeConfiguration {
    /// `manager.unix_socket_mode` as the permission bits of the socket file.
    public static func socketMode(_ value: Int) -> UInt16 {
        UInt16(truncatingIfNeeded: value & 0o777)
    }

    /// How long accepting pauses (too many sessions, out of descriptors): the configured
    /// seconds, at least `minimumSuspendTime`, saturated for any number.
    public var suspendTime: TimeAmount {
        max(.saturating(seconds: suspendTimeOnUnacceptable), .saturating(seconds: Self.minimumSuspendTime))
    }
}
