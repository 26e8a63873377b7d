import MilterProtocol
import NIOCore

/// The macros sent with each command, like a real Postfix: the defaults of runtime.md §4.2
/// (`--*-macro NAME:VALUE` replaces or adds), a Postfix-style queue id as `i` on DATA,
/// end-of-header and end-of-message, the current recipient as `{rcpt_addr}`.
///
/// A milter that asked for a list of symbols at a stage (in its `O` reply) gets exactly those,
/// in its order; a symbol without a value here gets its own name as value (as the original
/// pre-sets requested symbols).
struct MacroTable: Sendable, Hashable {
    /// Where a macro's value comes from.
    enum Value: Sendable, Hashable {
        /// A value fixed for every session.
        case fixed(MilterString)
        /// This message's queue id.
        case queueID
        /// The recipient of the current `R`, without angle brackets.
        case recipientAddress
    }

    /// One macro name (without braces) and where its value comes from.
    struct Entry: Sendable, Hashable {
        var name: String
        var value: Value
    }

    /// What is sent by default, per stage, sorted by name.
    private(set) var sent: [MacroStage: [Entry]]
    /// What is known but only sent when a milter asks for it.
    private var onRequest: [MacroStage: [Entry]]
    /// `sent` pre-encoded (`name\0value\0` runs), indexed by `MacroStage.rawValue`.
    private var encoded: [[Segment]] = []

    /// A run of a pre-encoded `D` payload.
    private enum Segment: Sendable, Hashable {
        /// Fixed bytes: whole `name\0value\0` pairs.
        case bytes([UInt8])
        /// `name\0` then the queue id and `\0`.
        case queueID(name: [UInt8])
        /// `name\0` then the current recipient without brackets and `\0`.
        case recipient(name: [UInt8])
    }

    /// The inputs the default values are made from.
    struct Context: Sendable {
        /// `{daemon_name}` (the program name, or `--name`).
        var daemonName: String
        /// The host name of the `C` command.
        var connectHost: MilterString
        /// The address of the `C` command.
        var connectAddress: ConnectAddress
        /// The envelope sender, with or without brackets.
        var envelopeFrom: MilterString
        /// `{auth_authen}`, `{auth_type}`, `{auth_author}` when given.
        var authenticatedName: String?
        var authenticatedType: String?
        var authenticatedAuthor: String?
        /// `--*-macro` values per stage, applied last.
        var overrides: [MacroStage: [Macro]] = [:]
        /// The `v` macro on request.
        var version: String
    }

    /// The table for `context`.
    init(_ context: Context) {
        func fixed(_ name: String, _ value: String) -> Entry { Entry(name: name, value: .fixed(MilterString(value))) }
        var sent: [MacroStage: [Entry]] = [
            .connect: [
                fixed("daemon_name", context.daemonName), fixed("if_name", "localhost"),
                fixed("if_addr", "127.0.0.1"), fixed("j", "mail.example.com"),
            ],
            .helo: [
                fixed("tls_version", "0"), fixed("cipher", "0"), fixed("cipher_bits", "0"),
                fixed("cert_subject", "cert_subject"), fixed("cert_issuer", "cert_issuer"),
            ],
            .envelopeFrom: [
                fixed("mail_mailer", "mail_mailer"), fixed("mail_host", "mail_host"),
                Entry(name: "mail_addr", value: .fixed(MessageTemplate.bareAddress(context.envelopeFrom))),
            ],
            .envelopeRecipient: [
                fixed("rcpt_mailer", "rcpt_mailer"), fixed("rcpt_host", "rcpt_host"),
                Entry(name: "rcpt_addr", value: .recipientAddress),
            ],
            .data: [Entry(name: "i", value: .queueID)],
            .endOfHeader: [Entry(name: "i", value: .queueID)],
            .endOfMessage: [Entry(name: "i", value: .queueID)],
        ]
        if let name = context.authenticatedName { sent[.envelopeFrom]!.append(fixed("auth_authen", name)) }
        if let type = context.authenticatedType { sent[.envelopeFrom]!.append(fixed("auth_type", type)) }
        if let author = context.authenticatedAuthor { sent[.envelopeFrom]!.append(fixed("auth_author", author)) }
        for (stage, macros) in context.overrides {
            for macro in macros {
                let entry = Entry(name: macro.name, value: .fixed(macro.value))
                if let index = sent[stage, default: []].firstIndex(where: { $0.name == macro.name }) {
                    sent[stage]![index] = entry
                } else {
                    sent[stage, default: []].append(entry)
                }
            }
        }
        for stage in sent.keys { sent[stage]!.sort { $0.name < $1.name } }
        self.sent = sent

        encoded = MacroStage.allCases.sorted().map { stage in Self.segments(sent[stage] ?? []) }

        let address = context.connectAddress
        var client: [Entry] = [
            Entry(name: "client_name", value: .fixed(context.connectHost)),
            Entry(name: "client_ptr", value: .fixed(context.connectHost)),
            fixed("daemon_addr", "127.0.0.1"), fixed("v", context.version),
        ]
        if let ip = address.ipAddress { client.append(fixed("client_addr", ip)) }
        switch address {
        case .inet(_, let port), .inet6(_, let port): client.append(fixed("client_port", String(port)))
        case .unix, .unknown: break
        }
        let queueID = Entry(name: "i", value: .queueID)
        onRequest = [
            .connect: client, .helo: client, .envelopeFrom: client + [queueID],
            .envelopeRecipient: client + [queueID], .data: client, .endOfHeader: client, .endOfMessage: client,
        ]
    }

    /// The macros for one `D` packet. `requested` is the milter's list for the stage, if it sent one.
    func macros(for stage: MacroStage, requested: [String]?, queueID: MilterString, recipient: MilterString?)
        -> [Macro]
    {
        func resolve(_ entry: Entry) -> Macro {
            switch entry.value {
            case .fixed(let value): return Macro(name: entry.name, value: value)
            case .queueID: return Macro(name: entry.name, value: queueID)
            case .recipientAddress:
                return Macro(name: entry.name, value: recipient.map(MessageTemplate.bareAddress) ?? .empty)
            }
        }
        let defaults = sent[stage] ?? []
        guard let requested else { return defaults.map(resolve) }
        let known = onRequest[stage] ?? []
        var result: [Macro] = []
        for symbol in requested {
            let name = Macro.normalizedName(symbol)
            guard !result.contains(where: { $0.name == name }) else { continue }
            if let entry = defaults.first(where: { $0.name == name }) ?? known.first(where: { $0.name == name }) {
                result.append(resolve(entry))
            } else {
                result.append(Macro(name: name, value: MilterString(name)))
            }
        }
        return result
    }

    /// Writes the `D` packet of a stage's default macros (nothing when it has none): the fast
    /// path for a milter that asked for no list.
    func writeDefaultPacket(
        for stage: MacroStage, queueID: MilterString, recipient: MilterString?, into buffer: inout ByteBuffer
    ) {
        let segments = encoded[Int(stage.rawValue)]
        guard !segments.isEmpty else { return }
        let lengthIndex = buffer.writerIndex
        buffer.writeInteger(UInt32(0), endianness: .big)
        buffer.writeInteger(MilterCommandCode.macro.rawValue)
        buffer.writeInteger(stage.commandCode.rawValue)
        for segment in segments {
            switch segment {
            case .bytes(let bytes):
                buffer.writeBytes(bytes)
            case .queueID(let name):
                buffer.writeBytes(name)
                buffer.writeBytes(queueID.bytes)
                buffer.writeInteger(UInt8(0))
            case .recipient(let name):
                buffer.writeBytes(name)
                if let recipient { buffer.writeBytes(MessageTemplate.bareAddress(recipient).bytes) }
                buffer.writeInteger(UInt8(0))
            }
        }
        buffer.setInteger(UInt32(buffer.writerIndex - lengthIndex - 4), at: lengthIndex, endianness: .big)
    }

    private static func segments(_ entries: [Entry]) -> [Segment] {
        var segments: [Segment] = []
        var run: [UInt8] = []
        for entry in entries {
            let name = Array(Macro(name: entry.name, value: .empty).wireName.utf8) + [0]
            switch entry.value {
            case .fixed(let value):
                run += name + value.bytes + [0]
            case .queueID, .recipientAddress:
                if !run.isEmpty { segments.append(.bytes(run)) }
                run = []
                segments.append(entry.value == .queueID ? .queueID(name: name) : .recipient(name: name))
            }
        }
        if !run.isEmpty { segments.append(.bytes(run)) }
        return segments
    }
}
