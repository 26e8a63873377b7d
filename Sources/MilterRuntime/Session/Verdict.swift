import MilterProtocol

/// A status with the SMTP reply code that goes with it (runtime.md §2.2): a 5xx code is kept
/// only with reject and a 4xx code only with temporary-failure; any other pairing loses the code
/// when the verdict is made, so the MTA can never be sent a code that contradicts the status.
struct Verdict: Hashable {
    /// The status.
    let status: MilterStatus
    /// The `y` text that goes with a reject or a temporary failure, if a child gave one.
    let replyCode: SMTPReply?

    /// A verdict; `replyCode` is dropped unless it fits `status`.
    init(_ status: MilterStatus, replyCode: SMTPReply? = nil) {
        self.status = status
        switch status {
        case .reject: self.replyCode = replyCode?.isPermanent == true ? replyCode : nil
        case .temporaryFailure: self.replyCode = replyCode?.isPermanent == false ? replyCode : nil
        case .continue, .accept, .discard, .skip: self.replyCode = nil
        }
    }

    /// The verdict a child's `y` stands for: 5xx rejects, 4xx fails temporarily.
    init(replyCode: SMTPReply) {
        self.init(replyCode.isPermanent ? .reject : .temporaryFailure, replyCode: replyCode)
    }

    /// The packet the MTA gets: the `y` when a code goes with the status, else the status.
    var reply: MilterReply {
        if let replyCode { return .replyCode(replyCode) }
        return status.reply
    }
}
