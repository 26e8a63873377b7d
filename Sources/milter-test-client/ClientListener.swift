#if canImport(Glibc)
    import Glibc
#endif
import MilterProtocol
import MilterSupport
import NIOCore
import NIOPosix

/// Listens on a connection spec, serves every connection with a `TestClientHandler`, and
/// stops cleanly on SIGTERM/SIGINT (socket file and pid file removed).
struct ClientListener {
    /// Why the client cannot run; each message names the spec or path and the errno text.
    enum ListenError: Error, CustomStringConvertible {
        /// Binding the socket failed.
        case bind(spec: String, errno: CInt?, detail: String)
        /// Setting the unix socket's mode failed.
        case chmod(path: String, errno: CInt)
        /// `--unix-socket-group` names no group.
        case unknownGroup(String, spec: String)
        /// Setting the unix socket's group failed.
        case chown(path: String, errno: CInt)

        /// One line.
        var description: String {
            switch self {
            case .bind(let spec, let code, let detail):
                return "failed to listen on \(spec): \(detail)" + (code.map { " (errno \($0))" } ?? "")
            case .chmod(let path, let code): return "cannot chmod \(path): \(String(cString: strerror(code)))"
            case .unknownGroup(let group, let spec): return "unknown group \(group) for \(spec)"
            case .chown(let path, let code): return "cannot chown \(path): \(String(cString: strerror(code)))"
            }
        }
    }

    /// Where to listen.
    let spec: ConnectionSpec
    /// The spec as written (for messages).
    let specText: String
    /// How to answer.
    let behavior: ClientBehavior
    /// Where `--verbose` goes.
    let log: ClientLog
    /// Permission bits of a unix socket.
    let socketMode: mode_t
    /// Group of a unix socket.
    let socketGroup: String?
    /// Where to write the pid.
    let pidFile: String?

    /// SIGTERM and SIGINT as a signal set.
    static func makeStopSignals() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        return set
    }

    /// Blocks SIGTERM and SIGINT in this thread and every thread started after it; `run` takes
    /// them with `sigwait`. Call before anything starts threads.
    static func blockStopSignals() {
        var set = makeStopSignals()
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Listens until SIGTERM or SIGINT.
    func run() throws(ListenError) {
        Self.blockStopSignals()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let behavior = self.behavior
        let log = self.log
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 256)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(MilterCommandDecoder()))
                    try channel.pipeline.syncOperations.addHandler(TestClientHandler(behavior: behavior, log: log))
                }
            }
        let server: Channel
        do {
            switch spec {
            case .unix(let path):
                // Bound under a hidden name, given its mode and group, then renamed into place:
                // whoever connects finds the socket with its final permissions.
                let staging = UnixSocketStaging.path(for: path)
                server = try bootstrap.bind(unixDomainSocketPath: staging ?? path, cleanupExistingSocketFile: true)
                    .wait()
                try prepareSocketFile(staging ?? path)
                if let staging, rename(staging, path) != 0 {
                    let code = errno
                    unlink(staging)
                    throw ListenError.bind(spec: specText, errno: code, detail: String(cString: strerror(code)))
                }
            case .inet(let port, let host):
                server = try bootstrap.bind(to: try Self.address(host, port: port, any: "0.0.0.0")).wait()
            case .inet6(let port, let host):
                server = try bootstrap.bind(to: try Self.address(host, port: port, any: "::")).wait()
            }
        } catch let error as ListenError {
            throw error
        } catch let io as IOError {
            throw .bind(spec: specText, errno: io.errnoCode, detail: String(cString: strerror(io.errnoCode)))
        } catch {
            throw .bind(spec: specText, errno: nil, detail: "\(error)")
        }
        if let pidFile {
            let text = "\(getpid())\n"
            let descriptor = open(pidFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            if descriptor >= 0 {
                try? DescriptorWriter.writeAll(text, to: descriptor)
                close(descriptor)
            }
        }
        log.verbose("listening on \(specText)")

        // SIGTERM and SIGINT are blocked (since `blockStopSignals`, before any thread existed) and
        // taken here, so one arriving during start-up is not lost.
        var stopSignals = Self.makeStopSignals()
        var received: CInt = 0
        while sigwait(&stopSignals, &received) != 0 {}
        log.verbose("signal \(received): stopping")
        server.close(promise: nil)
        try? server.closeFuture.wait()
        if case .unix(let path) = spec { unlink(path) }
        if let pidFile { unlink(pidFile) }
    }

    private func prepareSocketFile(_ path: String) throws(ListenError) {
        if chmod(path, socketMode) != 0 {
            throw .chmod(path: path, errno: errno)
        }
        if let socketGroup {
            guard let entry = getgrnam(socketGroup) else {
                throw .unknownGroup(socketGroup, spec: specText)
            }
            if chown(path, uid_t.max, entry.pointee.gr_gid) != 0 {
                throw .chown(path: path, errno: errno)
            }
        }
    }

    private static func address(_ host: ConnectionSpec.Host?, port: UInt16, any: String) throws -> SocketAddress {
        switch host {
        case .none: return try SocketAddress(ipAddress: any, port: Int(port))
        case .address(let address): return try SocketAddress(ipAddress: address, port: Int(port))
        case .name(let name): return try SocketAddress.makeAddressResolvingHost(name, port: Int(port))
        }
    }
}
