#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IPv4 or IPv6 network (`192.168.1.0/24`, `2001:db8::/32`) or a single address, as
/// `remote_network.add_local_address` and DNSBL expected answers take it.
public struct IPAddressRange: Hashable, Sendable, CustomStringConvertible {
    /// The network address bytes (4 for IPv4, 16 for IPv6).
    public var address: [UInt8]
    /// The prefix length (32 or 128 for a single address).
    public var prefixLength: Int
    /// The text as written.
    public var text: String

    /// Parses `ADDRESS` or `ADDRESS/PREFIX`; nil when it is neither.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let bytes = Self.parseAddress(String(parts[0])) else { return nil }
        let maximum = bytes.count * 8
        var prefix = maximum
        if parts.count == 2 {
            guard let value = Int(parts[1]), value >= 0, value <= maximum, parts[1].allSatisfy(\.isNumber) else {
                return nil
            }
            prefix = value
        }
        self.address = bytes
        self.prefixLength = prefix
        self.text = text
    }

    /// True for an IPv4 range.
    public var isIPv4: Bool { address.count == 4 }

    /// Whether `bytes` (4 or 16 of them) fall inside the range.
    public func contains(_ bytes: [UInt8]) -> Bool {
        guard bytes.count == address.count else { return false }
        var remaining = prefixLength
        for index in 0..<bytes.count where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if bytes[index] & mask != address[index] & mask { return false }
            remaining -= bits
        }
        return true
    }

    /// The text as written.
    public var description: String { text }

    /// The network address with every bit after the prefix cleared.
    public var masked: [UInt8] {
        var bytes = address
        var remaining = prefixLength
        for index in bytes.indices {
            let bits = min(8, max(0, remaining))
            bytes[index] &= UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            remaining -= 8
        }
        return bytes
    }

    /// The usual text of 4 or 16 address bytes (`192.0.2.1`, `2001:db8::1`).
    public static func text(of bytes: [UInt8]) -> String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        let written = bytes.withUnsafeBytes { inet_ntop(family, $0.baseAddress, &buffer, socklen_t(buffer.count)) }
        guard written != nil else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The bytes of a client address as an MTA may write it: `192.0.2.1`, `[192.0.2.1]`,
    /// `IPv6:2001:db8::1`, `[IPv6:2001:db8::1]`; nil for anything else.
    public static func parseLookupAddress(_ text: String) -> [UInt8]? {
        var body = Substring(text)
        if body.hasPrefix("["), body.hasSuffix("]") { body = body.dropFirst().dropLast() }
        if body.count > 5, body.prefix(5).lowercased() == "ipv6:" { body = body.dropFirst(5) }
        return parseAddress(String(body))
    }

    /// The bytes of an IPv4 or IPv6 address text, nil when it is neither.
    public static func parseAddress(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if text.contains("."), !text.contains(":"), inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if text.contains(":"), inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }
}
