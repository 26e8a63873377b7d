import Configuration

/// The names a DNSBL look-up asks for: the client's address reversed under the list's zone
/// (`2.0.0.127.zen.example` for 127.0.0.2; for IPv6 the 32 nibbles reversed, RFC 5782 §2.4).
enum DNSBLQueryName {
    /// The query name for `address` (4 or 16 bytes) under `zone`; nil for another length.
    static func make(address bytes: [UInt8], zone: String) -> String? {
        let hex: [Character] = Array("0123456789abcdef")
        var labels: [String] = []
        switch bytes.count {
        case 4:
            labels = bytes.reversed().map { String($0) }
        case 16:
            for byte in bytes.reversed() {
                labels.append(String(hex[Int(byte & 0x0F)]))
                labels.append(String(hex[Int(byte >> 4)]))
            }
        default:
            return nil
        }
        let trimmedZone = zone.hasSuffix(".") ? String(zone.dropLast()) : zone
        return labels.joined(separator: ".") + "." + trimmedZone
    }
}

/// The system's resolvers: the `nameserver` lines of resolv.conf (the first three, as the C
/// library uses them), port 53.
enum ResolverConfiguration {
    /// The name servers listed in `text`; scoped IPv6 addresses (`fe80::1%eth0`) are skipped.
    static func nameServers(inResolvConf text: String) -> [DNSNameServer] {
        var servers: [DNSNameServer] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, fields[0] == "nameserver",
                let server = DNSNameServer(address: String(fields[1]))
            else { continue }
            servers.append(server)
            if servers.count == 3 { break }
        }
        return servers
    }

    /// The name servers of `/etc/resolv.conf` under `root`; none when it cannot be read.
    static func systemNameServers(root: RootDirectory) -> [DNSNameServer] {
        guard let text = try? root.readText("/etc/resolv.conf", limit: 1 << 20) else { return [] }
        return nameServers(inResolvConf: text)
    }
}
