import MilterProtocol
import MilterSupport

#if canImport(Glibc)
    import Glibc
#endif

extension SettingType where Value == WrittenConnectionSpec? {
    /// `controller.connection_spec`: a unix socket, or a TCP port on a loopback address written
    /// as a literal (`inet:PORT@[127.0.0.1]`, `inet6:PORT@[::1]`), or nil. Whoever reaches the
    /// control socket can reload the daemon and read its status, so it is never offered to the
    /// network: any other address, no address (every address) and host names (which could
    /// resolve to anything) are refused at load with the file and line.
    static let controllerConnectionSpec = SettingType(
        expected: "a connection spec string or nil", hint: TypeHints.string,
        read: { value, key throws(ConfigurationErrorKind) in
            guard let written = try value.optionalConnectionSpec(for: key) else { return nil }
            try checkLoopback(written, key)
            return written
        },
        check: { value, key throws(ConfigurationErrorKind) in
            if let value { try checkLoopback(value, key) }
        },
        render: { $0.map { RubyLiteral.inspect($0.text) } ?? "nil" })

    private static func checkLoopback(_ written: WrittenConnectionSpec, _ key: String) throws(ConfigurationErrorKind) {
        guard !written.spec.isLoopbackOrUnix else { return }
        throw .invalidValue(
            key: key, value: RubyLiteral.inspect(written.text),
            allowed: "unix:PATH, or a loopback address written in brackets: inet:PORT@[127.0.0.1] or inet6:PORT@[::1]")
    }
}

extension ConnectionSpec {
    /// True for a unix socket and for an inet/inet6 spec whose host is a literal loopback
    /// address (127.0.0.0/8, ::1); false for no host, a host name or any other address.
    public var isLoopbackOrUnix: Bool {
        switch self {
        case .unix: return true
        case .inet(_, .address(let text)):
            var address = in_addr()
            guard inet_pton(AF_INET, text, &address) == 1 else { return false }
            return UInt32(bigEndian: address.s_addr) >> 24 == 127
        case .inet6(_, .address(let text)):
            var address = in6_addr()
            guard inet_pton(AF_INET6, text, &address) == 1 else { return false }
            let bytes = withUnsafeBytes(of: address) { Array($0) }
            return bytes.dropLast().allSatisfy { $0 == 0 } && bytes.last == 1
        case .inet(_, .none), .inet(_, .name), .inet6(_, .none), .inet6(_, .name): return false
        }
    }
}
