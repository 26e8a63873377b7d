/// Why the manager could not start listening.
public struct ListenError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Reason: Hashable, Sendable {
        /// The spec does not give an address (`detail` says why).
        case address(String)
        /// Something that is not a socket is at the socket path: it is never removed.
        case notASocket(path: String, kind: String)
        /// Another process listens on the socket path.
        case inUse(path: String)
        /// A file exists at the path and `remove_unix_socket_on_create` is off.
        case exists(path: String)
        /// The path could not be examined or the stale socket not removed.
        case cannotPrepare(path: String, detail: String)
        /// bind() or listen() failed.
        case bind(String)
        /// The socket, bound under its hidden name, could not be put in place.
        case install(staging: String, path: String, detail: String)
    }

    /// The spec it tried.
    public var spec: String
    /// What failed.
    public var reason: Reason
    /// The key that sets the spec (named in messages).
    public var key = "manager.connection_spec"

    /// An error for `spec`.
    public init(spec: String, reason: Reason) {
        self.spec = spec
        self.reason = reason
    }

    /// `cannot listen on SPEC: reason`, with what to do.
    public var description: String {
        let detail: String
        switch reason {
        case .address(let text): detail = text
        case .notASocket(let path, let kind):
            detail = "\(path) is \(kind), not a socket; it is left alone: fix \(key) or move the file"
        case .inUse(let path):
            detail = "another process listens on \(path) (is milter-manager already running?)"
        case .exists(let path): detail = "\(path) exists (remove_unix_socket_on_create is off)"
        case .cannotPrepare(let path, let text): detail = "cannot check or remove the old socket \(path): \(text)"
        case .bind(let text): detail = text
        case .install(let staging, let path, let text): detail = "cannot move \(staging) to \(path): \(text)"
        }
        return "cannot listen on \(spec): \(detail)"
    }
}
