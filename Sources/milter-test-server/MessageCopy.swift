import MilterProtocol
import NIOCore

/// The message as the milter changed it: the original, refused recipients removed and every
/// end-of-message modification applied (for `--output-message`).
struct MessageCopy: Sendable, Hashable {
    /// The envelope sender as sent.
    let originalEnvelopeFrom: MilterString
    /// The recipients as sent.
    let originalRecipients: [MilterString]
    /// The headers as sent.
    let originalHeaders: HeaderList
    /// The body as sent.
    let originalBody: [UInt8]

    /// The envelope sender now.
    var envelopeFrom: MilterString
    /// The recipients now.
    var recipients: [MilterString]
    /// The headers now.
    var headers: HeaderList
    /// The replacement body, when the milter sent `b` packets.
    var replacedBody: [UInt8]?

    /// An unchanged copy of `template`.
    init(_ template: MessageTemplate) {
        originalEnvelopeFrom = template.envelopeFrom
        originalRecipients = template.recipients
        originalHeaders = template.headers
        originalBody = template.body
        envelopeFrom = template.envelopeFrom
        recipients = template.recipients
        headers = template.headers
    }

    /// The body now.
    var body: [UInt8] { replacedBody ?? originalBody }

    /// Removes a recipient the milter refused at RCPT.
    mutating func refuse(recipient: MilterString) {
        if let index = recipients.firstIndex(of: recipient) { recipients.remove(at: index) }
    }

    /// Applies one end-of-message modification.
    mutating func apply(_ modification: MessageModification) {
        switch modification {
        case .addHeader, .insertHeader, .changeHeader:
            headers.apply(modification)
        case .changeFrom(let sender, _):
            envelopeFrom = MessageTemplate.normalizedAddress(sender)
        case .addRecipient(let recipient, _):
            recipients.append(MessageTemplate.normalizedAddress(recipient))
        case .deleteRecipient(let recipient):
            refuse(recipient: MessageTemplate.normalizedAddress(recipient))
        case .replaceBody(let chunk):
            replacedBody = (replacedBody ?? []) + chunk.readableBytesView
        }
    }
}
