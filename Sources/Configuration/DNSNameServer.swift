/// A name server for the DNSBL look-ups (`dnsbl.name_server`): `"ADDRESS"`, `"ADDRESS:PORT"`
/// (IPv4) or `"[ADDRESS]:PORT"` (IPv6, brackets required with a port), interfaces.md ## DNSBL.
public struct DNSNameServer: Hashable, Sendable, CustomStringConvertible {
    /// The address text (without brackets).
    public var address: String
    /// The address bytes (4 or 16).
    public var bytes: [UInt8]
    /// The UDP port (53 unless written).
    public var port: Int

    /// A server.
    public init?(address: String, port: Int = 53) {
        guard let bytes = IPAddressRange.parseAddress(address), (1...65_535).contains(port) else { return nil }
        self.address = address
        self.bytes = bytes
        self.port = port
    }

    /// Reads `ADDRESS`, `ADDRESS:PORT` or `[ADDRESS]:PORT` (`[ADDRESS]` alone too); nil for
    /// anything else (a host name, a port out of 1..65535, blanks).
    public init?(parsing text: String) {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let address = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if rest.isEmpty {
                self.init(address: address)
                return
            }
            guard rest.hasPrefix(":"), let port = Self.port(rest.dropFirst()) else { return nil }
            self.init(address: address, port: port)
            return
        }
        let colons = text.filter { $0 == ":" }.count
        if colons == 1, let colon = text.firstIndex(of: ":") {
            guard let port = Self.port(text[text.index(after: colon)...]) else { return nil }
            self.init(address: String(text[..<colon]), port: port)
            return
        }
        self.init(address: text)
    }

    private static func port(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 5, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(text)
    }

    /// `ADDRESS` (port 53), `ADDRESS:PORT` or `[ADDRESS]:PORT`.
    public var description: String {
        if port == 53 { return address }
        return bytes.count == 16 ? "[\(address)]:\(port)" : "\(address):\(port)"
    }
}

/// What a DNSBL look-up that gets no answer in time counts as (`dnsbl.timeout_result`).
public enum DNSBLTimeoutResult: String, Hashable, Sendable, CaseIterable {
    /// As the original: no answer, so not listed by that service.
    case notListed = "not_listed"
    /// Listed (fail closed: a blocklist that cannot be reached counts against the client).
    case listed
}
