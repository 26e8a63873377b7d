import Foundation
import MilterProtocol
import NIOCore

/// Reads the words of a scenario line into protocol values.
///
/// Commands: `negotiate [VERSION [ACTIONS [STEPS]]]`, `macro STAGE name=value...`,
/// `connect HOST inet ADDR PORT | inet6 ADDR PORT | unix PATH | unknown`, `helo NAME`,
/// `mail ADDR`, `rcpt ADDR`, `data`, `unknown TEXT`, `header NAME: VALUE`, `eoh`,
/// `body TEXT`, `eom`, `abort`, `quit`, `quit-nc`. TEXT may use `\r`, `\n` escapes.
///
/// Replies: `continue`, `accept`, `reject`, `tempfail`, `discard`, `skip`, `progress`,
/// `connection-failure`, `shutdown`, `reply CODE TEXT`, `quarantine REASON`,
/// `negotiate VERSION ACTIONS STEPS`, `add-header NAME: VALUE`, `insert-header I NAME: VALUE`,
/// `change-header I NAME: VALUE`, `delete-header I NAME`, `change-from ADDR [PARAMS]`,
/// `add-rcpt ADDR [PARAMS]`, `delete-rcpt ADDR`, `replace-body TEXT`.
enum ScenarioSyntax {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func unescape(_ text: Substring) -> String {
        text.replacingOccurrences(of: "\\r", with: "\r").replacingOccurrences(of: "\\n", with: "\n")
    }

    static func split(_ text: Substring) -> (String, Substring) {
        let trimmed = text.drop { $0 == " " }
        guard let space = trimmed.firstIndex(of: " ") else { return (String(trimmed), "") }
        return (String(trimmed[..<space]), trimmed[trimmed.index(after: space)...].drop { $0 == " " })
    }

    static func number(_ text: String) throws -> UInt32 {
        if text.hasPrefix("0x"), let value = UInt32(text.dropFirst(2), radix: 16) { return value }
        guard let value = UInt32(text) else { throw Failure(description: "not a number: \(text)") }
        return value
    }

    static func headerParts(_ text: Substring) throws -> (MilterString, MilterString) {
        guard let colon = text.firstIndex(of: ":") else {
            throw Failure(description: "expected NAME: VALUE in \(text)")
        }
        var value = text[text.index(after: colon)...]
        if value.first == " " { value = value.dropFirst() }
        return (MilterString(String(text[..<colon])), MilterString(unescape(value)))
    }

    static func stageCode(_ word: String) throws -> MilterCommandCode {
        let table: [String: MilterCommandCode] = [
            "connect": .connect, "helo": .helo, "mail": .mail, "rcpt": .recipient, "data": .data, "header": .header,
            "eoh": .endOfHeader, "body": .body, "eom": .endOfMessage, "unknown": .unknown,
        ]
        guard let code = table[word] else { throw Failure(description: "unknown stage \(word)") }
        return code
    }

    static func command(_ line: Substring) throws -> MilterCommand {
        let (word, rest) = split(line)
        let words = rest.split(separator: " ").map(String.init)
        switch word {
        case "negotiate":
            return .negotiate(
                Negotiation(
                    version: words.count > 0 ? try number(words[0]) : 6,
                    actions: ActionFlags(rawValue: words.count > 1 ? try number(words[1]) : 0x1ff),
                    steps: ProtocolFlags(rawValue: words.count > 2 ? try number(words[2]) : 0x1f_ffff)))
        case "macro":
            let stage = try stageCode(words[0])
            let macros = words.dropFirst().map { pair -> Macro in
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                return Macro(name: String(parts[0]), value: MilterString(parts.count > 1 ? unescape(parts[1]) : ""))
            }
            return .macro(stage: stage, macros: macros)
        case "connect":
            let host = MilterString(words[0])
            switch words.count > 1 ? words[1] : "unknown" {
            case "inet": return .connect(hostname: host, address: .inet(address: words[2], port: UInt16(words[3])!))
            case "inet6": return .connect(hostname: host, address: .inet6(address: words[2], port: UInt16(words[3])!))
            case "unix": return .connect(hostname: host, address: .unix(path: MilterString(words[2])))
            default: return .connect(hostname: host, address: .unknown)
            }
        case "helo": return .helo(MilterString(String(rest)))
        case "mail": return .mail(sender: MilterString(words[0]), arguments: words.dropFirst().map { MilterString($0) })
        case "rcpt": return .recipient(MilterString(words[0]), arguments: words.dropFirst().map { MilterString($0) })
        case "data": return .data
        case "unknown": return .unknown(MilterString(String(rest)))
        case "header":
            let (name, value) = try headerParts(rest)
            return .header(name: name, value: value)
        case "eoh": return .endOfHeader
        case "body": return .body(ByteBuffer(string: unescape(rest)))
        case "eom": return .endOfMessage(ByteBuffer())
        case "abort": return .abort
        case "quit": return .quit
        case "quit-nc": return .quitNewConnection
        default: throw Failure(description: "unknown command \(word)")
        }
    }

    static func reply(_ line: Substring) throws -> MilterReply {
        let (word, rest) = split(line)
        let words = rest.split(separator: " ").map(String.init)
        switch word {
        case "continue": return .continue
        case "accept": return .accept
        case "reject": return .reject
        case "tempfail": return .temporaryFailure
        case "discard": return .discard
        case "skip": return .skip
        case "progress": return .progress
        case "connection-failure": return .connectionFailure
        case "shutdown": return .shutdown
        case "reply": return .replyCode(try SMTPReply(validating: MilterString(unescape(rest))))
        case "quarantine": return .quarantine(reason: MilterString(String(rest)))
        case "negotiate":
            return .negotiate(
                Negotiation(
                    version: try number(words[0]), actions: ActionFlags(rawValue: try number(words[1])),
                    steps: ProtocolFlags(rawValue: try number(words[2]))))
        case "add-header":
            let (name, value) = try headerParts(rest)
            return .modification(.addHeader(name: name, value: value))
        case "insert-header", "change-header":
            let (index, header) = split(rest)
            let (name, value) = try headerParts(header)
            let position = try number(index)
            return .modification(
                word == "insert-header"
                    ? .insertHeader(index: position, name: name, value: value)
                    : .changeHeader(index: position, name: name, value: value))
        case "delete-header":
            return .modification(.changeHeader(index: try number(words[0]), name: MilterString(words[1]), value: ""))
        case "change-from":
            return .modification(
                .changeFrom(sender: MilterString(words[0]), parameters: words.count > 1 ? MilterString(words[1]) : nil))
        case "add-rcpt":
            return .modification(
                .addRecipient(MilterString(words[0]), parameters: words.count > 1 ? MilterString(words[1]) : nil))
        case "delete-rcpt": return .modification(.deleteRecipient(MilterString(words[0])))
        case "replace-body": return .modification(.replaceBody(ByteBuffer(string: unescape(rest))))
        default: throw Failure(description: "unknown reply \(word)")
        }
    }

    /// A reply written back in the same syntax, for comparing against expectations.
    static func describe(_ reply: MilterReply) -> String {
        switch reply {
        case .negotiate(let n):
            return
                "negotiate \(n.version) 0x\(String(n.actions.rawValue, radix: 16)) 0x\(String(n.steps.rawValue, radix: 16))"
                + n.macroRequests.map { " \($0.stage)=\($0.symbols.joined(separator: ","))" }.joined()
        case .continue: return "continue"
        case .accept: return "accept"
        case .reject: return "reject"
        case .temporaryFailure: return "tempfail"
        case .discard: return "discard"
        case .skip: return "skip"
        case .progress: return "progress"
        case .connectionFailure: return "connection-failure"
        case .shutdown: return "shutdown"
        case .replyCode(let code): return "reply \(escape(code.text.string))"
        case .quarantine(let reason): return "quarantine \(reason)"
        case .setSymbolList(let request): return "set-symbol-list \(request.stage)"
        case .modification(let modification):
            switch modification {
            case .addHeader(let name, let value): return "add-header \(name): \(escape(value.string))"
            case .insertHeader(let index, let name, let value):
                return "insert-header \(index) \(name): \(escape(value.string))"
            case .changeHeader(let index, let name, let value):
                return value.isEmpty
                    ? "delete-header \(index) \(name)" : "change-header \(index) \(name): \(escape(value.string))"
            case .changeFrom(let sender, let parameters):
                return "change-from \(sender)" + (parameters.map { " \($0)" } ?? "")
            case .addRecipient(let recipient, let parameters):
                return "add-rcpt \(recipient)" + (parameters.map { " \($0)" } ?? "")
            case .deleteRecipient(let recipient): return "delete-rcpt \(recipient)"
            case .replaceBody(let chunk): return "replace-body \(escape(String(buffer: chunk)))"
            }
        }
    }

    /// A command as the scenario files write it (for child transcripts).
    static func describe(_ command: MilterCommand) -> String {
        switch command {
        case .negotiate(let n): return "negotiate \(n.version)"
        case .macro(let stage, let macros):
            return "macro \(stage.stageName)" + macros.map { " \($0.name)=\(escape($0.value.string))" }.joined()
        case .connect(let host, let address): return "connect \(host) \(address.specDescription)"
        case .helo(let name): return "helo \(name)"
        case .mail(let sender, _): return "mail \(sender)"
        case .recipient(let recipient, _): return "rcpt \(recipient)"
        case .data: return "data"
        case .header(let name, let value): return "header \(name): \(escape(value.string))"
        case .endOfHeader: return "eoh"
        case .body(let chunk): return "body \(escape(String(buffer: chunk)))"
        case .endOfMessage: return "eom"
        case .abort: return "abort"
        case .quit: return "quit"
        case .quitNewConnection: return "quit-nc"
        case .unknown(let text): return "unknown \(text)"
        }
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
    }
}
