import MilterControl
import MilterProtocol

#if canImport(Glibc)
    import Glibc
#endif

/// A blocking connection to the daemon's control socket: one request line out, one reply
/// line in, each bounded in time and the reply in size.
struct ControlConnection {
    /// Why talking to the daemon failed.
    struct Failure: Error, CustomStringConvertible {
        /// One line, with what to check.
        var description: String
    }

    private let descriptor: Int32
    private let spec: ConnectionSpec

    /// Connects to `spec` (a name in an inet spec is looked up), waiting up to `timeout` seconds.
    init(spec: ConnectionSpec, timeout: Double) throws(Failure) {
        self.spec = spec
        var storage = sockaddr_storage()
        var length = socklen_t(0)
        try Self.address(of: spec, into: &storage, length: &length)
        let fd = socket(Int32(storage.ss_family), Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket(): \(String(cString: strerror(errno)))") }
        Self.setTimeout(fd, timeout)
        let connected = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, length) }
        }
        guard connected == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw Failure(
                description: "cannot connect to \(spec): \(reason) (is milter-manager running with "
                    + "controller.connection_spec = \"\(spec)\"?)")
        }
        descriptor = fd
    }

    /// Sends `request` and reads the reply, waiting up to `timeout` seconds for it.
    func exchange(_ request: ControlRequest, timeout: Double) throws(Failure) -> ControlReply {
        defer { close(descriptor) }
        Self.setTimeout(descriptor, timeout)
        let bytes = Array((request.line + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else {
                throw Failure(description: "cannot send to \(spec): \(String(cString: strerror(errno)))")
            }
            offset += written
        }
        var line: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                throw Failure(description: "no reply from \(spec) within \(Int(timeout)) seconds")
            }
            guard count > 0 else {
                throw Failure(description: "\(spec) closed the connection without a complete reply")
            }
            if let newline = buffer[0..<count].firstIndex(of: UInt8(ascii: "\n")) {
                line += buffer[0..<newline]
                break
            }
            line += buffer[0..<count]
            guard line.count <= ControlProtocol.maximumReplyLength else {
                throw Failure(
                    description: "the reply from \(spec) is longer than \(ControlProtocol.maximumReplyLength) bytes")
            }
        }
        do {
            return try ControlReply(line: line)
        } catch {
            throw Failure(description: "unreadable reply from \(spec): \(error)")
        }
    }

    private static func setTimeout(_ fd: Int32, _ seconds: Double) {
        var time = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
    }

    private static func address(of spec: ConnectionSpec, into storage: inout sockaddr_storage, length: inout socklen_t)
        throws(Failure)
    {
        switch spec {
        case .unix(let path):
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
                throw Failure(description: "the socket path \(path) is too long")
            }
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (offset, byte) in bytes.enumerated() { raw[offset] = byte }
            }
            withUnsafeMutableBytes(of: &storage) { target in
                withUnsafeBytes(of: address) { target.copyMemory(from: $0) }
            }
            length = socklen_t(MemoryLayout<sockaddr_un>.size)
        case .inet(let port, let host), .inet6(let port, let host):
            let isV6: Bool
            if case .inet6 = spec { isV6 = true } else { isV6 = false }
            let name: String
            switch host {
            case .none: name = isV6 ? "::1" : "127.0.0.1"
            case .address(let text), .name(let text): name = text
            }
            var hints = addrinfo()
            hints.ai_family = isV6 ? AF_INET6 : AF_INET
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            var result: UnsafeMutablePointer<addrinfo>?
            let status = getaddrinfo(name, String(port), &hints, &result)
            guard status == 0, let first = result, let found = first.pointee.ai_addr else {
                throw Failure(description: "cannot resolve \(name): \(String(cString: gai_strerror(status)))")
            }
            defer { freeaddrinfo(result) }
            length = first.pointee.ai_addrlen
            withUnsafeMutableBytes(of: &storage) { target in
                target.copyMemory(from: UnsafeRawBufferPointer(start: found, count: Int(length)))
            }
        }
    }
}
