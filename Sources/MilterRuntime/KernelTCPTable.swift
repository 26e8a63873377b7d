import Configuration
import MilterProtocol
import MilterSupport

/// Finds the local end of a TCP connection from Linux's `/proc/net/tcp` and `/proc/net/tcp6`,
/// as the Sendmail Compatible condition needs it (the original ran `netstat -n`).
public enum KernelTCPTable {
    /// The local address and port of the established connection whose remote end is `client`.
    public static func localEndpoint(for client: ConnectAddress, procRoot: String = "/proc") -> (
        address: String, port: UInt16
    )? {
        switch client {
        case .inet(let address, let port):
            guard let bytes = IPv4Bytes(address) else { return nil }
            let wanted =
                bytes.map { String($0, radix: 16, uppercase: true).leftPadded(2) }.reversed().joined()
                + ":" + String(port, radix: 16, uppercase: true).leftPadded(4)
            let table = try? BoundedFile.readRegularFile(atPath: procRoot + "/net/tcp")
            return find(wanted, in: table.map { String(decoding: $0, as: UTF8.self) })
        case .inet6, .unix, .unknown:
            return nil
        }
    }

    static func find(_ remote: String, in table: String?) -> (address: String, port: UInt16)? {
        guard let table else { return nil }
        for line in table.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: " ")
            guard fields.count > 3, fields[2] == remote, fields[3] == "01" else { continue }
            let local = fields[1].split(separator: ":")
            guard local.count == 2, local[0].count == 8, let port = UInt16(local[1], radix: 16) else { continue }
            var octets: [String] = []
            var index = local[0].endIndex
            while index > local[0].startIndex {
                let start = local[0].index(index, offsetBy: -2)
                octets.append(String(UInt8(local[0][start..<index], radix: 16) ?? 0))
                index = start
            }
            return (octets.joined(separator: "."), port)
        }
        return nil
    }

    static func IPv4Bytes(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".")
        guard parts.count == 4 else { return nil }
        let bytes = parts.compactMap { UInt8($0) }
        return bytes.count == 4 ? bytes : nil
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
