import MilterProtocol
import NIOCore

/// The message as the children see and change it (runtime.md §2.5): the headers and body the
/// MTA sent, changed in place by each child's end-of-message changes, so that every later child
/// is replayed the message as the earlier ones left it; and what the MTA is told at the end.
/// `ReplyMerger` holds the rules that change it.
struct WorkingMessage {
    /// The working header list: the MTA's headers as they arrive, then as children change them.
    var headers = HeaderList()
    /// The headers as the MTA has them, taken when end-of-message arrived.
    var originalHeaders: HeaderList?
    /// Where big bodies go.
    let spool: BodySpool.Settings
    /// The body as chunks: the MTA's chunking until a child replaces the body.
    var body: BodySpool
    /// Whether a child replaced the body (the MTA is then sent the new one).
    var bodyReplaced = false
    /// The body the child at the head of the queue is sending with `b`.
    var pendingBody: BodySpool?
    /// `e` from the last child that changed the sender.
    var changeFrom: MessageModification?
    /// Recipient additions and deletions, in arrival order.
    var recipientChanges: [MessageModification] = []
    /// The quarantine reason; the last child's wins.
    var quarantineReason: MilterString?

    /// An empty message whose bodies follow `spool`.
    init(spool: BodySpool.Settings) {
        self.spool = spool
        self.body = BodySpool(settings: spool)
    }

    /// Why the body (or the one a child is sending) could not be stored, if it could not.
    var spoolFailure: BodySpoolError? { body.failure ?? pendingBody?.failure }
}
