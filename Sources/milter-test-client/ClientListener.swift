#if canImport(Glibc)
    import Glibc
#endif
import Dispatch
import MilterProtocol
import NIOCore
import NIOPosix

/// Listens on a connection spec, serves every connection with a `TestClientHandler`, and
/// stops cleanly on SIGTERM/SIGINT (socket file and pid file removed).
struct ClientListener {
    /// Why the client cannot run; the message names the spec and the errno text.
    struct ListenError: Error, CustomStringConvertible {
        /// One line.
        let description: String
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

    /// Listens until SIGTERM or SIGINT.
    func run() throws(ListenError) {
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
                server = try bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true).wait()
                try prepareSocketFile(path)
            case .inet(let port, let host):
                server = try bootstrap.bind(to: try Self.address(host, port: port, any: "0.0.0.0")).wait()
            case .inet6(let port, let host):
                server = try bootstrap.bind(to: try Self.address(host, port: port, any: "::")).wait()
            }
        } catch let error as ListenError {
            throw error
        } catch {
            throw ListenError(description: "failed to listen on \(specText): \(Self.reason(error))")
        }
        if let pidFile {
            let text = "\(getpid())\n"
            let descriptor = open(pidFile, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            if descriptor >= 0 {
                StandardOutput.write(Array(text.utf8), to: descriptor)
                close(descriptor)
            }
        }
        log.verbose("listening on \(specText)")

        var sources: [DispatchSourceSignal] = []
        for signalNumber in [SIGTERM, SIGINT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                log.verbose("signal \(signalNumber): stopping")
                server.close(promise: nil)
            }
            source.resume()
            sources.append(source)
        }
        try? server.closeFuture.wait()
        for source in sources { source.cancel() }
        if case .unix(let path) = spec { unlink(path) }
        if let pidFile { unlink(pidFile) }
    }

    private func prepareSocketFile(_ path: String) throws(ListenError) {
        if chmod(path, socketMode) != 0 {
            throw ListenError(description: "cannot chmod \(path): \(String(cString: strerror(errno)))")
        }
        if let socketGroup {
            guard let entry = getgrnam(socketGroup) else {
                throw ListenError(description: "unknown group \(socketGroup) for \(specText)")
            }
            if chown(path, uid_t.max, entry.pointee.gr_gid) != 0 {
                throw ListenError(description: "cannot chown \(path): \(String(cString: strerror(errno)))")
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

    private static func reason(_ error: Error) -> String {
        if let io = error as? IOError {
            return "\(String(cString: strerror(io.errnoCode))) (errno \(io.errnoCode))"
        }
        return "\(error)"
    }
}
