/// `controller.*`: the optional management socket.
public struct ControllerSettings: Hashable, Sendable {
    /// `controller.connection_spec`; nil disables the controller.
    public var connectionSpec: Setting<WrittenConnectionSpec?>
    /// `controller.unix_socket_mode` (0...0o777).
    public var unixSocketMode: Setting<Int>
    /// `controller.unix_socket_group`.
    public var unixSocketGroup: Setting<String?>
    /// `controller.remove_unix_socket_on_create`.
    public var removeUnixSocketOnCreate: Setting<Bool>
    /// `controller.remove_unix_socket_on_close`.
    public var removeUnixSocketOnClose: Setting<Bool>

    /// The defaults: disabled, mode 0660.
    public init() {
        connectionSpec = Setting(nil)
        unixSocketMode = Setting(0o660)
        unixSocketGroup = Setting(nil)
        removeUnixSocketOnCreate = Setting(true)
        removeUnixSocketOnClose = Setting(true)
    }
}
