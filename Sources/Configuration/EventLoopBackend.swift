/// `manager.event_loop_backend`. The Swift runtime has one event loop implementation (NIO);
/// both names are accepted for compatibility and recorded as written.
public enum EventLoopBackend: String, Hashable, Sendable, CaseIterable {
    /// GLib's poll loop in the original; the default.
    case glib
    /// libev (epoll/kqueue) in the original.
    case libev
}
