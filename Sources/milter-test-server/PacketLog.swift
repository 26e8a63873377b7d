#if canImport(Glibc)
    import Glibc
#endif
import MilterProtocol
import MilterSupport
import NIOCore

/// `--verbose`: one line per packet on standard error, e.g.
/// `[session 0] send: D C`, `[session 0] receive: 'c' (continue)`.
struct PacketLog: Sendable {
    /// The session number in every line.
    let number: UInt64

    /// The commands of one write.
    func sent(_ buffer: ByteBuffer) {
        var codes: [String] = []
        var offset = buffer.readerIndex
        while let length = buffer.getInteger(at: offset, as: UInt32.self), length > 0,
            let code = buffer.getInteger(at: offset + 4, as: UInt8.self)
        {
            var name = String(Character(Unicode.Scalar(code)))
            if code == MilterCommandCode.macro.rawValue, length > 1,
                let stage = buffer.getInteger(at: offset + 5, as: UInt8.self)
            {
                name += "(" + String(Character(Unicode.Scalar(stage))) + ")"
            }
            codes.append(name)
            offset += 4 + Int(length)
        }
        line("send: " + codes.joined(separator: " "))
    }

    /// One reply.
    func received(_ reply: MilterReply) {
        var text = "receive: " + TestServerError.describe(reply)
        switch reply {
        case .negotiate(let negotiation):
            text += " version=\(negotiation.version) action=\(negotiation.actions.nickDescription)"
            text += " step=\(negotiation.steps.nickDescription)"
            for request in negotiation.macroRequests {
                text += " macros[\(request.stage)]=\(request.symbols.joined(separator: ","))"
            }
        case .replyCode(let smtp): text += " " + smtp.text.string
        case .quarantine(let reason): text += " " + reason.string
        case .modification, .continue, .accept, .reject, .temporaryFailure, .discard, .skip, .progress,
            .connectionFailure, .shutdown, .setSymbolList:
            break
        }
        line(text)
    }

    /// The end of the session.
    func finished(_ outcome: SessionOutcome) {
        line("finished: " + ResultPrinter.statusLine(outcome) + (outcome.failure.map { " (\($0))" } ?? ""))
    }

    private func line(_ text: String) {
        StandardStream.error.write("[session \(number)] \(text)\n")
    }
}
