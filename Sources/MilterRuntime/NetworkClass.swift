import Configuration
import MilterProtocol

/// Local or remote, as the Remote Network condition sees a client (detection.md §6.2).
enum NetworkClass {
    /// Remote: inside an added remote range; else not built-in local and not an added local range.
    /// Unknown families are neither (so not remote); unix peers are local.
    static func isRemote(_ address: ConnectAddress, parameters: RemoteNetworkParameters) -> Bool {
        let bytes: [UInt8]
        switch address {
        case .inet(let text, _), .inet6(let text, _):
            guard let parsed = IPAddressRange.parseAddress(text) else { return false }
            bytes = parsed
        case .unix, .unknown:
            return false
        }
        if parameters.remoteAddresses.contains(where: { $0.value.contains(bytes) }) { return true }
        if isBuiltInLocal(bytes) { return false }
        if parameters.localAddresses.contains(where: { $0.value.contains(bytes) }) { return false }
        return true
    }

    /// IPv4 127/8, 10/8, 172.16/12, 192.168/16; IPv6 ::1 and fe80::/10.
    static func isBuiltInLocal(_ bytes: [UInt8]) -> Bool {
        if bytes.count == 4 {
            return bytes[0] == 127 || bytes[0] == 10 || (bytes[0] == 172 && bytes[1] & 0xF0 == 16)
                || (bytes[0] == 192 && bytes[1] == 168)
        }
        if bytes.count == 16 {
            if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true }
            return bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80
        }
        return false
    }
}

/// Selective SMTP Rejection (detection.md §6.1): whether a client looks like a dynamic host.
enum S25R {
    /// True when the milter applies: IPv4 (unless disabled), not whitelisted, blacklisted.
    static func applies(host: String, address: ConnectAddress, parameters: S25RParameters) -> Bool {
        if parameters.onlyCheckIPv4.value {
            guard case .inet = address else { return false }
        }
        if parameters.whitelist.contains(where: { $0.value.matches(host, as: .hostName) }) { return false }
        return parameters.blacklist.contains { $0.value.matches(host, as: .hostName) }
    }
}
