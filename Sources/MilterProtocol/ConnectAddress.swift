import NIOCore

/// The SMTP client's address in a connect (`C`) packet.
public enum ConnectAddress: Hashable, Sendable {
    /// Family `4`: IPv4 address text and port.
    case inet(address: String, port: UInt16)
    /// Family `6`: IPv6 address text (without the `IPv6:` prefix) and port.
    case inet6(address: String, port: UInt16)
    /// Family `L`: a local (unix) socket path.
    case unix(path: MilterString)
    /// Family `U`: unknown; nothing follows the family byte.
    case unknown

    /// The family byte on the wire.
    public var family: UInt8 {
        switch self {
        case .inet: return UInt8(ascii: "4")
        case .inet6: return UInt8(ascii: "6")
        case .unix: return UInt8(ascii: "L")
        case .unknown: return UInt8(ascii: "U")
        }
    }

    /// The address in milter-manager spelling: `inet:PORT@[ADDR]`, `inet6:PORT@[ADDR]`, `unix:PATH`
    /// or `unknown`, as the original prints it.
    public var specDescription: String {
        switch self {
        case .inet(let address, let port): return "inet:\(port)@[\(address)]"
        case .inet6(let address, let port): return "inet6:\(port)@[\(address)]"
        case .unix(let path): return "unix:\(path.string)"
        case .unknown: return "unknown"
        }
    }

    /// The IP address text, if the family has one.
    public var ipAddress: String? {
        switch self {
        case .inet(let address, _), .inet6(let address, _): return address
        case .unix, .unknown: return nil
        }
    }

    func write(into buffer: inout ByteBuffer) {
        buffer.writeInteger(family)
        switch self {
        case .inet(let address, let port):
            buffer.writeInteger(port, endianness: .big)
            buffer.writeMilterText(address)
        case .inet6(let address, let port):
            buffer.writeInteger(port, endianness: .big)
            buffer.writeMilterText("IPv6:" + address)
        case .unix(let path):
            buffer.writeInteger(UInt16(0), endianness: .big)
            buffer.writeMilterString(path)
        case .unknown:
            break
        }
    }

    static func read(_ reader: inout PacketReader) throws -> ConnectAddress {
        let familyOffset = reader.offset
        let family = try reader.readByte("address family")
        switch family {
        case UInt8(ascii: "4"):
            let port = try reader.readUInt16("port")
            let addressOffset = reader.offset
            let address = try reader.readText("address")
            guard IPAddressText.isIPv4(address) else {
                throw MilterParseError(.invalidAddress(address), code: reader.code, offset: addressOffset)
            }
            return .inet(address: address, port: port)
        case UInt8(ascii: "6"):
            let port = try reader.readUInt16("port")
            let addressOffset = reader.offset
            var address = try reader.readText("address")
            if address.hasPrefix("IPv6:") { address.removeFirst(5) }
            guard IPAddressText.isIPv6(address) else {
                throw MilterParseError(.invalidAddress(address), code: reader.code, offset: addressOffset)
            }
            return .inet6(address: address, port: port)
        case UInt8(ascii: "L"):
            _ = try reader.readUInt16("port")
            return .unix(path: try reader.readString("path"))
        case UInt8(ascii: "U"):
            return .unknown
        default:
            throw MilterParseError(.invalidAddressFamily(family), code: reader.code, offset: familyOffset)
        }
    }
}

/// Checks of IP address text, through the system's parser.
public enum IPAddressText {
    /// True for dotted-quad IPv4 text.
    public static func isIPv4(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 == UInt8(ascii: ".") || ($0 >= 0x30 && $0 <= 0x39) })
        else { return false }
        return (try? SocketAddress(ipAddress: text, port: 0))?.protocol == .inet
    }

    /// True for IPv6 text (no brackets, no zone).
    public static func isIPv6(_ text: String) -> Bool {
        guard text.utf8.contains(UInt8(ascii: ":")) else { return false }
        return (try? SocketAddress(ipAddress: text, port: 0))?.protocol == .inet6
    }
}
