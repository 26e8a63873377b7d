import Logging
import MilterProtocol
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// Binding a listening socket as the manager does for its main socket and its control socket.
/// A unix socket path is prepared first: a stale socket (nothing listens) is removed when
/// allowed, anything else there (a live socket, a file, a directory, a link) is an error and
/// left alone. The socket is bound under a hidden name, given its mode and group, and then
/// linked into place, so that no client finds it with the wrong permissions and nothing is
/// replaced. At close only the very socket bound (same inode) is removed.
struct ListeningSocket {
    let settings: ListenSettings
    let logger: Logger
    /// `[manager]` or `[control]`, for the log.
    let logPrefix: String
    /// The key that names the spec, for messages.
    let key: String

    /// What `bind` made.
    struct Bound {
        /// The listening channel.
        var channel: Channel
        /// The unix socket file (to remove at close), nil for TCP.
        var socket: UnixSocketFile?
        /// The address bound (with the port the kernel chose for port 0).
        var address: SocketAddress
    }

    /// Binds `bootstrap` as `settings` say.
    func bind(_ bootstrap: ServerBootstrap) async throws(ListenError) -> Bound {
        let spec = settings.spec
        let address: SocketAddress
        do {
            address = try spec.listenAddress()
        } catch {
            throw failure(.address(error.reason))
        }
        var staging: String?
        var bindAddress = address
        if case .unix(let path) = spec {
            try prepare(path, removeStale: settings.removeUnixSocketOnCreate)
            if let candidate = UnixSocketStaging.path(for: path),
                let stagingAddress = try? SocketAddress(unixDomainSocketPath: candidate)
            {
                try prepare(candidate, removeStale: true)
                staging = candidate
                bindAddress = stagingAddress
            }
        }
        let channel: Channel
        do {
            channel = try await bootstrap.bind(to: bindAddress).get()
        } catch {
            throw failure(.bind("\(error)"))
        }
        guard case .unix(let path) = spec else {
            return Bound(channel: channel, socket: nil, address: channel.localAddress ?? address)
        }
        let file = staging ?? path
        if chmod(file, mode_t(settings.unixSocketMode)) != 0 {
            logger.warning(
                "\(logPrefix)[socket] chmod \(String(settings.unixSocketMode, radix: 8)) \(path) failed: errno \(errno)"
            )
        }
        if let group = settings.unixSocketGroup {
            if let entry = getgrnam(group) {
                if chown(file, uid_t.max, entry.pointee.gr_gid) != 0 {
                    logger.warning("\(logPrefix)[socket] chgrp \(group) \(path) failed: errno \(errno)")
                }
            } else {
                logger.warning("\(logPrefix)[socket] unknown group \(group) for \(path)")
            }
        }
        if let staging {
            // link() never replaces: if something appeared at the path meanwhile, it stays.
            let linked = link(staging, path) == 0
            let reason = linked ? "" : String(cString: strerror(errno))
            unlink(staging)
            guard linked else {
                try? await channel.close()
                throw failure(.install(staging: staging, path: path, detail: reason))
            }
        }
        return Bound(channel: channel, socket: UnixSocketFile(boundAt: path), address: address)
    }

    /// Removes `socket` at close if it is still the one bound (a socket that cannot be removed
    /// is reported).
    func remove(_ socket: UnixSocketFile) {
        switch socket.removeIfUnchanged() {
        case .removed, .gone:
            break
        case .replaced:
            logger.warning("\(logPrefix)[stop] \(socket.path) is no longer the socket this process bound; left alone")
        case .failed(let reason):
            logger.error("\(logPrefix)[stop] cannot remove the socket \(socket.path): \(reason)")
        }
    }

    private func failure(_ reason: ListenError.Reason) -> ListenError {
        var error = ListenError(spec: settings.spec.description, reason: reason)
        error.key = key
        return error
    }

    /// Makes `path` free for binding: nothing there, or a stale socket that is removed.
    private func prepare(_ path: String, removeStale: Bool) throws(ListenError) {
        switch UnixSocketFile.occupant(of: path) {
        case .nothing:
            return
        case .staleSocket:
            guard removeStale else { throw failure(.exists(path: path)) }
            if unlink(path) != 0 && errno != ENOENT {
                throw failure(.cannotPrepare(path: path, detail: String(cString: strerror(errno))))
            }
            logger.notice("\(logPrefix)[socket] removed the stale socket \(path)")
        case .liveSocket:
            throw failure(.inUse(path: path))
        case .other(let kind):
            throw failure(.notASocket(path: path, kind: kind))
        case .unknown(let reason):
            throw failure(.cannotPrepare(path: path, detail: reason))
        }
    }
}
