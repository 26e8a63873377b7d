import Foundation

/// A scripted milter peer for tests of broken or unusual milters: it listens on a unix socket,
/// reads packets (4-byte length, code, payload) and answers each through `respond`. Every
/// connection is served on its own thread; `stop()` closes everything.
public final class FakeMilter: @unchecked Sendable {
    /// What to do after a packet was read.
    public enum Response: Sendable {
        /// Write these bytes (zero or more whole packets, or anything at all).
        case send([UInt8])
        /// Write nothing and keep reading.
        case nothing
        /// Close the connection.
        case close
        /// Write these bytes, then close the connection.
        case sendAndClose([UInt8])
    }

    /// The unix socket path.
    public let path: String
    private let listener: Int32
    private let respond: @Sendable (_ code: UInt8, _ payload: [UInt8]) -> Response
    private let lock = NSLock()
    private var connections: [Int32] = []
    private var stopped = false
    private var receivedCodes: [UInt8] = []

    /// Listens on `path` (an old file there is removed).
    public init(path: String, respond: @escaping @Sendable (_ code: UInt8, _ payload: [UInt8]) -> Response) throws {
        self.path = path
        self.respond = respond
        unlink(path)
        listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw TestSupportError("socket() failed: errno \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw TestSupportError("path too long")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0, listen(listener, 16) == 0 else {
            close(listener)
            throw TestSupportError("bind/listen on \(path) failed: errno \(errno)")
        }
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// The command codes received so far, over all connections, in order.
    public var received: [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        return receivedCodes
    }

    /// Closes the listener and every connection; removes the socket file.
    public func stop() {
        lock.lock()
        let wasStopped = stopped
        stopped = true
        let open = connections
        connections = []
        lock.unlock()
        guard !wasStopped else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for connection in open { shutdown(connection, Int32(SHUT_RDWR)) }
        unlink(path)
    }

    deinit { stop() }

    /// One packet: length, code, payload.
    public static func packet(_ code: Character, _ payload: [UInt8] = []) -> [UInt8] {
        let length = UInt32(payload.count + 1)
        return withUnsafeBytes(of: length.bigEndian) { Array($0) } + [code.asciiValue!] + payload
    }

    /// A negotiation reply: version 6, these actions and steps, no macro requests.
    public static func negotiateReply(actions: UInt32 = 0x1FF, steps: UInt32 = 0) -> [UInt8] {
        var payload: [UInt8] = []
        for value in [UInt32(6), actions, steps] { payload += withUnsafeBytes(of: value.bigEndian) { Array($0) } }
        return packet("O", payload)
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                lock.lock()
                let done = stopped
                lock.unlock()
                if done { return }
                continue
            }
            lock.lock()
            connections.append(connection)
            lock.unlock()
            let thread = Thread { [self] in serve(connection) }
            thread.start()
        }
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        while let (code, payload) = readPacket(connection) {
            lock.lock()
            receivedCodes.append(code)
            lock.unlock()
            switch respond(code, payload) {
            case .send(let bytes): if !writeAll(connection, bytes) { return }
            case .nothing: continue
            case .close: return
            case .sendAndClose(let bytes):
                _ = writeAll(connection, bytes)
                return
            }
        }
    }

    private func readPacket(_ connection: Int32) -> (UInt8, [UInt8])? {
        guard let header = readExactly(connection, 4) else { return nil }
        let length = Int(header.reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
        guard length >= 1, length < 1 << 24, let body = readExactly(connection, length) else { return nil }
        return (body[0], Array(body.dropFirst()))
    }

    private func readExactly(_ connection: Int32, _ count: Int) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let result = buffer.withUnsafeMutableBytes { read(connection, $0.baseAddress! + offset, count - offset) }
            if result <= 0 {
                if result < 0 && errno == EINTR { continue }
                return nil
            }
            offset += result
        }
        return buffer
    }

    private func writeAll(_ connection: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let result = bytes.withUnsafeBytes {
                send(connection, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if result <= 0 {
                if result < 0 && errno == EINTR { continue }
                return false
            }
            offset += result
        }
        return true
    }
}
