#if canImport(Glibc)
    import Glibc
#endif
import ArgumentParser
import MilterProtocol
import MilterSupport
import NIOCore

extension TestServerOptions {
    /// The `--connect-address` as sent in `C`; a host name is resolved once.
    func makeConnectAddress() throws -> ConnectAddress {
        if connectAddress == "unknown" { return .unknown }
        let spec: ConnectionSpec
        do { spec = try ConnectionSpec(parsing: connectAddress) } catch { throw ValidationError(error.description) }
        switch spec {
        case .unix(let path): return .unix(path: MilterString(path))
        case .inet(let port, let host): return .inet(address: try Self.ipAddress(host, v6: false), port: port)
        case .inet6(let port, let host): return .inet6(address: try Self.ipAddress(host, v6: true), port: port)
        }
    }

    private static func ipAddress(_ host: ConnectionSpec.Host?, v6: Bool) throws -> String {
        switch host {
        case .none: return v6 ? "::1" : "127.0.0.1"
        case .address(let address): return address
        case .name(let name):
            guard let address = try? SocketAddress.makeAddressResolvingHost(name, port: 0), let ip = address.ipAddress
            else { throw ValidationError("cannot resolve host <\(name)> of --connect-address") }
            return ip
        }
    }

    /// The message from `--mail-file`, `--from`, `--recipient`, `--header` and `--body`.
    func makeMessage() throws -> MessageTemplate {
        var parsed: MailFileParser.ParsedMail?
        if let mailFile {
            let contents = try Self.readFile(mailFile)
            do { parsed = try MailFileParser.parse(contents) } catch { throw ValidationError(error.description) }
        }
        var headers = parsed?.headers ?? HeaderList()
        for value in header {
            guard let (name, text) = Self.splitPair(value) else { continue }
            headers.append(name: MilterString(name), value: MilterString(String(text.drop { $0 == " " || $0 == "\t" })))
        }
        let envelopeFrom = from.map { MilterString($0) } ?? parsed?.envelopeFrom ?? MessageTemplate.defaultEnvelopeFrom
        var recipients = recipient.map { MilterString($0) }
        if recipients.isEmpty { recipients = parsed?.recipients ?? [] }
        if recipients.isEmpty { recipients = [MessageTemplate.defaultRecipient] }
        let chunks: [ByteBuffer]
        if !body.isEmpty {
            chunks = body.flatMap { MessageTemplate.chunks(of: Array($0.utf8)) }
        } else if let parsed {
            chunks = MessageTemplate.chunks(of: parsed.body)
        } else {
            chunks = [ByteBuffer(string: MessageTemplate.defaultBody)]
        }
        return MessageTemplate(envelopeFrom: envelopeFrom, recipients: recipients, headers: headers, bodyChunks: chunks)
    }

    /// The timeouts: an explicit option, else `--all-timeouts`, else `--timeout`, else the default.
    var timeoutSettings: TimeoutSettings {
        let defaults = TimeoutSettings()
        let fallback = allTimeouts ?? timeout
        return TimeoutSettings(
            connection: connectionTimeout ?? fallback ?? defaults.connection,
            reading: readingTimeout ?? fallback ?? defaults.reading,
            writing: writingTimeout ?? fallback ?? defaults.writing,
            endOfMessage: endOfMessageTimeout ?? fallback ?? defaults.endOfMessage,
            session: timeout)
    }

    /// What every session sends.
    func makePlan() throws -> SessionPlan {
        let address = try makeConnectAddress()
        let message = try makeMessage()
        func macros(_ values: [String]) -> [Macro] {
            values.compactMap { Self.splitPair($0) }.map { Macro(name: $0.name, value: MilterString($0.value)) }
        }
        let context = MacroTable.Context(
            daemonName: name, connectHost: MilterString(connectHost), connectAddress: address,
            envelopeFrom: message.envelopeFrom, authenticatedName: authenticatedName,
            authenticatedType: authenticatedType, authenticatedAuthor: authenticatedAuthor,
            overrides: [
                .connect: macros(connectMacro), .helo: macros(heloMacro), .envelopeFrom: macros(envelopeFromMacro),
                .envelopeRecipient: macros(envelopeRecipientMacro), .data: macros(dataMacro),
                .endOfHeader: macros(endOfHeaderMacro), .endOfMessage: macros(endOfMessageMacro),
            ],
            version: "\(name) \(ProductVersion.number)")
        return SessionPlan(
            version: negotiateVersion, connectHost: MilterString(connectHost), connectAddress: address,
            heloFQDN: MilterString(heloFqdn), message: message, macros: MacroTable(context),
            unknownCommand: unknown.map { MilterString($0) }, messagesPerSession: messagesPerSession,
            recordsMessage: outputMessage)
    }

    /// The connectors of load mode: the spec's, then one per `--then-connection-spec`.
    func makeConnectors() throws -> [SessionConnector] {
        let first = try makeConnector()
        return try [first] + thenConnectionSpec.map { try makeConnector($0, plan: first.plan) }
    }

    /// A connector for the spec; an unresolvable host is a connect failure (exit status 1).
    func makeConnector() throws -> SessionConnector {
        try makeConnector(connectionSpec, plan: try makePlan())
    }

    /// A connector for `connectionSpec` sending `plan`.
    private func makeConnector(_ connectionSpec: String, plan: SessionPlan) throws -> SessionConnector {
        let spec = try ConnectionSpec(parsing: connectionSpec)
        let target: ConnectTarget
        do {
            target = try ConnectTarget.resolve(spec)
        } catch {
            if !quiet {
                let failure = TestServerError.connectFailed(
                    spec: connectionSpec, reason: "cannot resolve host: \(error)")
                let report = SessionReport(outcome: .failed(failure), elapsed: 0, latency: 0)
                StandardStream.output.write(ResultPrinter().render(report))
            }
            throw ExitCode(1)
        }
        let seed = NIODeadline.now().uptimeNanoseconds / 1000
        return SessionConnector(
            spec: connectionSpec, target: target, plan: plan, timeouts: timeoutSettings,
            queueIDs: QueueIDGenerator(seed: seed), verbose: verbose)
    }

    /// The largest message `--mail-file` reads (a file or standard input): 64 MiB, six times
    /// Postfix's default `message_size_limit`.
    static let mailFileSizeLimit = 64 << 20

    /// The bytes of a file (links followed, a pipe read to its end), or of standard input for
    /// `-`, at most `mailFileSizeLimit` of them.
    static func readFile(_ path: String) throws -> [UInt8] {
        do {
            if path == "-" { return try BoundedFile.read(descriptor: STDIN_FILENO, limit: mailFileSizeLimit) }
            return try BoundedFile.readNamedFile(atPath: path, limit: mailFileSizeLimit)
        } catch {
            throw ValidationError("\(path): \(error)")
        }
    }
}
