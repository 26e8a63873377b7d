import MilterSupport

/// Where a milter listens or is reached, in milter-manager spelling:
/// `unix:/path`, `local:/path`, `inet:PORT`, `inet:PORT@HOST`, `inet:PORT@[ADDR]`, `inet6:...`.
public enum ConnectionSpec: Hashable, Sendable, CustomStringConvertible {
    /// A unix-domain socket path.
    case unix(path: String)
    /// IPv4; no host means every address when listening, this host when connecting.
    case inet(port: UInt16, host: Host?)
    /// IPv6; no host means every address when listening, this host when connecting.
    case inet6(port: UInt16, host: Host?)

    /// The host part of an inet or inet6 spec.
    public enum Host: Hashable, Sendable {
        /// A name to resolve (`@localhost`).
        case name(String)
        /// A literal address written in brackets (`@[127.0.0.1]`, `@[::1]`).
        case address(String)
    }

    /// The longest unix socket path the kernel takes (`sun_path` is 108 bytes with its NUL).
    public static let maximumUnixPathLength = 107

    /// Parses milter-manager spelling; `local:` is read as `unix:`.
    public init(parsing text: String) throws(ConnectionSpecError) {
        guard let colon = text.firstIndex(of: ":") else { throw .missingColon(text) }
        let scheme = text[..<colon]
        let content = String(text[text.index(after: colon)...])
        guard !content.isEmpty else { throw .missingContent(text) }
        switch scheme {
        case "unix", "local":
            guard content.utf8.count <= Self.maximumUnixPathLength else {
                throw .pathTooLong(text, length: content.utf8.count)
            }
            guard !content.utf8.contains(0) else { throw .invalidPath(text) }
            guard !content.unicodeScalars.contains(where: ControlCharacters.isControl) else {
                throw .controlCharacter(text)
            }
            self = .unix(path: content)
        case "inet", "inet6":
            let isV6 = scheme == "inet6"
            let portText: Substring
            let hostText: Substring?
            if let at = content.firstIndex(of: "@") {
                portText = content[..<at]
                hostText = content[content.index(after: at)...]
            } else {
                portText = content[...]
                hostText = nil
            }
            guard portText.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw .invalidPortCharacter(text) }
            let port: UInt16
            if portText.isEmpty {
                port = 0
            } else {
                guard portText.count <= 5, let value = Int(portText), value <= 65535 else {
                    throw .portOutOfRange(text)
                }
                port = UInt16(value)
            }
            let host = try hostText.map { (hostText) throws(ConnectionSpecError) -> Host in
                try Self.parseHost(hostText, isV6: isV6, spec: text)
            }
            self = isV6 ? .inet6(port: port, host: host) : .inet(port: port, host: host)
        default:
            throw .unknownProtocol(text)
        }
    }

    private static func parseHost(_ text: Substring, isV6: Bool, spec: String) throws(ConnectionSpecError) -> Host {
        if text.hasPrefix("[") {
            guard text.hasSuffix("]"), text.count >= 2 else { throw .missingClosingBracket(spec) }
            let literal = String(text.dropFirst().dropLast())
            let valid = isV6 ? IPAddressText.isIPv6(literal) : IPAddressText.isIPv4(literal)
            guard valid else { throw .invalidHostAddress(spec, host: literal) }
            return .address(literal)
        }
        let name = String(text)
        guard !name.isEmpty,
            name.utf8.allSatisfy({ byte in
                (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A)
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
                    || (isV6 && byte == UInt8(ascii: ":"))
            })
        else { throw .invalidHostAddress(spec, host: name) }
        // A bare literal (`@127.0.0.1`, `@::1`) is an address too.
        if isV6 ? IPAddressText.isIPv6(name) : IPAddressText.isIPv4(name) { return .address(name) }
        return .name(name)
    }

    /// milter-manager spelling; literal addresses in brackets, `unix:` for unix sockets.
    public var description: String {
        switch self {
        case .unix(let path): return "unix:" + path
        case .inet(let port, let host): return "inet:\(port)" + Self.hostSuffix(host)
        case .inet6(let port, let host): return "inet6:\(port)" + Self.hostSuffix(host)
        }
    }

    private static func hostSuffix(_ host: Host?) -> String {
        switch host {
        case .none: return ""
        case .name(let name): return "@" + name
        case .address(let address): return "@[" + address + "]"
        }
    }

    /// Postfix spelling for `smtpd_milters`: `unix:/path`, `inet:HOST:PORT`, `inet:[v6]:PORT`.
    /// A spec with no host (every address) is reached on the loopback address.
    public var postfixDescription: String {
        switch self {
        case .unix(let path): return "unix:" + path
        case .inet(let port, let host):
            switch host {
            case .none: return "inet:127.0.0.1:\(port)"
            case .address(let address): return "inet:\(address == "0.0.0.0" ? "127.0.0.1" : address):\(port)"
            case .name(let name): return "inet:\(name):\(port)"
            }
        case .inet6(let port, let host):
            switch host {
            case .none: return "inet:[::1]:\(port)"
            case .address(let address): return "inet:[\(address == "::" ? "::1" : address)]:\(port)"
            case .name(let name): return "inet:\(name):\(port)"
            }
        }
    }

    /// Sendmail spelling for `INPUT_MAIL_FILTER(..., S=...)`: `unix:/path`, `inet:PORT@HOST`,
    /// `inet6:PORT@HOST` (no brackets; no host becomes the loopback address).
    public var sendmailDescription: String {
        switch self {
        case .unix(let path): return "unix:" + path
        case .inet(let port, let host):
            switch host {
            case .none: return "inet:\(port)@127.0.0.1"
            case .address(let address): return "inet:\(port)@\(address == "0.0.0.0" ? "127.0.0.1" : address)"
            case .name(let name): return "inet:\(port)@\(name)"
            }
        case .inet6(let port, let host):
            switch host {
            case .none: return "inet6:\(port)@::1"
            case .address(let address): return "inet6:\(port)@\(address == "::" ? "::1" : address)"
            case .name(let name): return "inet6:\(port)@\(name)"
            }
        }
    }

    /// Parses Postfix spelling (`unix:/path`, `inet:HOST:PORT`, `inet:[v6]:PORT`, a bare
    /// `/path`), as found in `smtpd_milters`.
    public init(postfix text: String) throws(ConnectionSpecError) {
        if text.hasPrefix("/") {
            self = try ConnectionSpec(parsing: "unix:" + text)
            return
        }
        if text.hasPrefix("unix:") || text.hasPrefix("local:") {
            self = try ConnectionSpec(parsing: text)
            return
        }
        guard text.hasPrefix("inet:") else { throw .unknownProtocol(text) }
        let rest = text.dropFirst(5)
        guard let lastColon = rest.lastIndex(of: ":") else { throw .missingContent(text) }
        var host = String(rest[..<lastColon])
        let port = rest[rest.index(after: lastColon)...]
        let isV6 = host.hasPrefix("[")
        if isV6 { host = String(host.dropFirst().dropLast()) }
        let literal = isV6 ? IPAddressText.isIPv6(host) : IPAddressText.isIPv4(host)
        let rendered = "\(isV6 ? "inet6" : "inet"):\(port)" + (host.isEmpty ? "" : literal ? "@[\(host)]" : "@\(host)")
        self = try ConnectionSpec(parsing: rendered)
    }
}

/// Why a connection spec is not valid; each names the spec and the problem.
public enum ConnectionSpecError: Error, Hashable, Sendable, CustomStringConvertible {
    /// No `:` at all.
    case missingColon(String)
    /// Nothing after the first `:`.
    case missingContent(String)
    /// The part before `:` is not `unix`, `local`, `inet` or `inet6`.
    case unknownProtocol(String)
    /// The port has a character that is not a digit.
    case invalidPortCharacter(String)
    /// The port is above 65535.
    case portOutOfRange(String)
    /// `[` without the closing `]`.
    case missingClosingBracket(String)
    /// The host is not an address of the spec's family or not a host name.
    case invalidHostAddress(String, host: String)
    /// The unix path does not fit in `sun_path`.
    case pathTooLong(String, length: Int)
    /// The unix path holds a NUL byte.
    case invalidPath(String)
    /// The unix path holds a control character (a newline, a tab, ...).
    case controlCharacter(String)

    /// The spec text the error is about.
    public var spec: String {
        switch self {
        case .missingColon(let s), .missingContent(let s), .unknownProtocol(let s), .invalidPortCharacter(let s),
            .portOutOfRange(let s), .missingClosingBracket(let s), .invalidHostAddress(let s, _),
            .pathTooLong(let s, _), .invalidPath(let s), .controlCharacter(let s):
            return s
        }
    }

    /// A one-line message: the problem, then the spec.
    public var description: String {
        let reason: String
        switch self {
        case .missingColon: reason = "spec doesn't have colon (expected unix:PATH, inet:PORT@HOST or inet6:PORT@HOST)"
        case .missingContent: reason = "spec doesn't have content after the protocol"
        case .unknownProtocol: reason = "protocol must be 'unix', 'local', 'inet' or 'inet6'"
        case .invalidPortCharacter: reason = "port number has invalid character"
        case .portOutOfRange: reason = "port number must be 65535 or less"
        case .missingClosingBracket: reason = "']' is missing"
        case .invalidHostAddress(_, let host): reason = "invalid host address <\(host)>"
        case .pathTooLong(_, let length):
            reason = "unix socket path is \(length) bytes, the limit is \(ConnectionSpec.maximumUnixPathLength)"
        case .invalidPath: reason = "unix socket path contains a NUL byte"
        case .controlCharacter: reason = "unix socket path contains a control character"
        }
        return "\(reason): <\(ControlCharacters.escaped(spec))>"
    }
}
