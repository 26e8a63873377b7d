import MilterProtocol
import NIOCore

/// A message going through the children (runtime.md §2.1): the working copy, the queue of the
/// children still to see it (the first one talks with the MTA in lock-step, the others are
/// replayed the whole message in turn), where the head child is in the message, and the merged
/// verdict of the children that finished it.
struct MessageFlight {
    /// A message command from the MTA.
    enum Input {
        /// `L`.
        case header(name: MilterString, value: MilterString)
        /// `N`.
        case endOfHeader
        /// `B`.
        case body(ByteBuffer)
        /// `E`, with its optional last chunk.
        case endOfMessage(ByteBuffer)

        /// The stage.
        var stage: ReplyStage.Message {
            switch self {
            case .header: return .header
            case .endOfHeader: return .endOfHeader
            case .body: return .body
            case .endOfMessage: return .endOfMessage
            }
        }
    }

    /// The next piece of the message for the head child.
    enum Item {
        /// The header at this position of the working list.
        case header(Int)
        /// End of headers.
        case endOfHeader
        /// The body chunk at this position.
        case body(Int)
        /// End of message.
        case endOfMessage

        /// The stage.
        var stage: ReplyStage.Message {
            switch self {
            case .header: return .header
            case .endOfHeader: return .endOfHeader
            case .body: return .body
            case .endOfMessage: return .endOfMessage
            }
        }
    }

    /// Where the head child is in the message.
    struct Cursor {
        var nextHeader = 0
        var sentEndOfHeader = false
        var nextChunk = 0
        var skipBody = false
        var sentEndOfMessage = false
    }

    /// The message as the children left it so far.
    var message: WorkingMessage
    /// Whether the MTA sent end-of-header.
    var sawEndOfHeader = false
    /// Whether the MTA sent end-of-message.
    var sawEndOfMessage = false
    /// The stage of the MTA's latest message command.
    var mtaStage = ReplyStage.Message.header
    /// Children still to see the message, in order; the first one is talking.
    private(set) var queue: [Int]
    /// Where the head child is.
    var cursor = Cursor()
    /// The verdicts of the children that finished the message.
    var merger = ReplyMerger()

    /// A message for the children in `queue`, in order, its bodies stored as `spool` says.
    init(queue: [Int], spool: BodySpool.Settings) {
        self.queue = queue
        self.message = WorkingMessage(spool: spool)
    }

    /// The child talking now, nil when every child is through.
    var head: Int? { queue.first }

    /// Stores what the MTA sent.
    mutating func record(_ input: Input) {
        mtaStage = input.stage
        switch input {
        case .header(let name, let value): message.headers.append(name: name, value: value)
        case .endOfHeader: sawEndOfHeader = true
        case .body(let chunk): message.body.append(chunk)
        case .endOfMessage(let chunk):
            if chunk.readableBytes > 0 { message.body.append(chunk) }
            sawEndOfMessage = true
            message.originalHeaders = message.headers
        }
    }

    /// What the head child is to get next, nil when it caught up with the MTA. If the MTA sent
    /// no headers (or no body), the replay starts at the first command it did send.
    func nextItem() -> Item? {
        if cursor.nextHeader < message.headers.headers.count { return .header(cursor.nextHeader) }
        if sawEndOfHeader && !cursor.sentEndOfHeader { return .endOfHeader }
        if !cursor.skipBody && cursor.nextChunk < message.body.count { return .body(cursor.nextChunk) }
        if sawEndOfMessage && !cursor.sentEndOfMessage { return .endOfMessage }
        return nil
    }

    /// Marks `item` as given to the head child and returns its command; header values go
    /// through `headerValue` (leading-space normalisation for that child). A body chunk that
    /// cannot be read back is empty and sets `message.spoolFailure`.
    mutating func take(_ item: Item, headerValue: (MilterString) -> MilterString) -> MilterCommand {
        switch item {
        case .header(let position):
            cursor.nextHeader += 1
            let header = message.headers.headers[position]
            return .header(name: header.name, value: headerValue(header.value))
        case .endOfHeader:
            cursor.sentEndOfHeader = true
            return .endOfHeader
        case .body(let position):
            cursor.nextChunk += 1
            return .body((try? message.body.chunk(at: position)) ?? ByteBuffer())
        case .endOfMessage:
            cursor.sentEndOfMessage = true
            return .endOfMessage(ByteBuffer())
        }
    }

    /// The head child is through: the next one starts from the beginning.
    mutating func nextChild() {
        if !queue.isEmpty { queue.removeFirst() }
        cursor = Cursor()
    }
}
