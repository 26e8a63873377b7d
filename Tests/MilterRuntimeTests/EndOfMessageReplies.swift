import MilterProtocol

/// The replies a test MTA reads after end-of-message: modifications and progress, then the
/// verdict (the last element).
enum EndOfMessageReplies {
    static func read(_ next: () async throws -> MilterReply) async throws -> [MilterReply] {
        var replies: [MilterReply] = []
        while true {
            let reply = try await next()
            replies.append(reply)
            if case .modification = reply { continue }
            if reply == .progress { continue }
            return replies
        }
    }
}
