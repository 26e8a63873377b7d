/// Where the MTA is in its mail transaction while the manager waits for its next command.
enum Transaction {
    /// How far the envelope got when no message has started.
    enum Envelope: Hashable {
        /// No MAIL yet, or the last transaction ended.
        case beforeMail
        /// MAIL was answered; recipients follow.
        case recipients
        /// DATA was sent (or emulated): message commands follow.
        case afterData
    }

    /// No message has started.
    case envelope(Envelope)
    /// A message is going through the children; the head child caught up with the MTA.
    case message(MessageFlight)
    /// Every child left the message before its end: its remaining commands get this status.
    case messageAnswered(MilterStatus)
}
