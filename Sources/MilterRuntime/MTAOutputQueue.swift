import MilterProtocol
import NIOCore

/// What is waiting to be written to the MTA behind a replaced body: the body is read from its
/// spool one chunk at a time (as a `b` reply) only when the connection can take it.
struct MTAOutputQueue {
    /// One queued item.
    enum Item {
        /// Encoded replies.
        case buffer(ByteBuffer)
        /// A body, from chunk `next` on.
        case body(BodySpool, next: Int)
    }

    /// The next write.
    enum Write {
        /// Bytes to write.
        case buffer(ByteBuffer)
        /// The body's spool could not be read.
        case failed(BodySpoolError)
    }

    private var items: [Item] = []

    /// Whether nothing waits.
    var isEmpty: Bool { items.isEmpty }

    /// Queues an item behind the others.
    mutating func append(_ item: Item) {
        items.append(item)
    }

    /// The next bytes to write (one body chunk as a `b` reply, or queued replies); nil when empty.
    mutating func next(allocator: ByteBufferAllocator) -> Write? {
        while let first = items.first {
            switch first {
            case .buffer(let buffer):
                items.removeFirst()
                return .buffer(buffer)
            case .body(let body, let next):
                guard next < body.count else {
                    items.removeFirst()
                    continue
                }
                let chunk: ByteBuffer
                do {
                    chunk = try body.chunk(at: next)
                } catch {
                    items.removeFirst()
                    return .failed(error)
                }
                items[0] = .body(body, next: next + 1)
                var buffer = allocator.buffer(capacity: chunk.readableBytes + 5)
                MilterReply.modification(.replaceBody(chunk)).encode(into: &buffer)
                return .buffer(buffer)
            }
        }
        return nil
    }
}
