import MilterProtocol
import NIOCore

/// The current message (header to end-of-message), kept so that each child after the first
/// can be given the whole message as the earlier children left it.
struct MessageState {
    /// Where the child at the head of the queue is in the message.
    struct Cursor {
        var nextHeader = 0
        var sentEndOfHeader = false
        var nextChunk = 0
        var skipBody = false
        var sentEndOfMessage = false
    }

    /// Whether the message phase has started (the queue is built).
    var started = false
    /// Whether DATA was seen (or emulated) for this transaction.
    var sawData = false
    /// The working header list.
    var headers = HeaderList()
    /// The headers as the MTA has them, taken when end-of-message arrived.
    var originalHeaders: HeaderList?
    /// The body, as chunks (the MTA's chunking until a child replaces the body).
    var chunks: [ByteBuffer] = []
    /// Whether the body was replaced by some child.
    var bodyReplaced = false
    var sawEndOfHeader = false
    var sawEndOfMessage = false
    /// Children still to see the message, in order; the first one is talking.
    var queue: [Int] = []
    var cursor = Cursor()
    /// Whether the MTA waits for an answer to a message command.
    var mtaWaiting = false
    /// The combined status of the children that finished the message.
    var combined: MilterStatus = .notChange
    /// Set when every child left before end-of-message; the MTA got its answer.
    var finishedEarly = false
    /// `e` from the last child that changed the sender.
    var changeFrom: MessageModification?
    /// Recipient additions and deletions, in arrival order.
    var recipientChanges: [MessageModification] = []
    /// Quarantine reason (last child wins).
    var quarantineReason: MilterString?
}
