import MilterSupport
import NIOCore

extension ChannelOptions.Types.SocketOption {
    /// The NIO option for `option` (`TCPSocketOption` holds the platform's names), nil where
    /// the platform does not have it: `TCP_QUICKACK` exists on Linux only.
    ///
    /// ```swift
    /// if let quickAck = ChannelOptions.Types.SocketOption(.quickAck) {
    ///     try? channel.syncOptions?.setOption(quickAck, value: 1)
    /// }
    /// ```
    public init?(_ option: TCPSocketOption) {
        guard let name = option.name else { return nil }
        self.init(level: NIOBSDSocket.OptionLevel(rawValue: option.level), name: NIOBSDSocket.Option(rawValue: name))
    }
}
