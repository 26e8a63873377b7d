import MilterProtocol
import NIOCore

/// Every precedence and merge rule of runtime.md §2, in one place and without I/O: how the
/// children's verdicts combine into the MTA's answer, what a reply means at each stage, what it
/// does to the child that sent it, what an evaluation-mode child, a failed child or a stopped
/// child counts as, and how end-of-message changes are merged and sent. Where the spec marks a
/// bug of the original (ORIGINAL) this follows its RECOMMEND.
///
/// The value itself is the combined verdict of one stage (a broadcast command, a message, the
/// failures of a negotiation); the rules are static functions. `ReplyMergerTests` names each
/// rule in a table.
struct ReplyMerger: Hashable {
    /// The strongest verdict so far; nil while no child decided anything.
    private(set) var decided: Verdict?

    /// An empty merge: no child decided yet.
    init() {}

    /// Combines a child's verdict (§2.2): it replaces the combined one only if its status is
    /// stronger; among equal statuses the first stays, but a later reply code replaces an earlier
    /// one (the last `y` is the one sent). A reply code stays with the status it fits.
    mutating func add(_ verdict: Verdict) {
        guard let current = decided else {
            decided = verdict
            return
        }
        let new = Self.precedence(of: verdict.status)
        let old = Self.precedence(of: current.status)
        if new > old || (new == old && verdict.replyCode != nil) { decided = verdict }
    }

    /// The answer for the MTA at `stage`: the combined verdict, or the stage's answer when no
    /// child decided.
    func answer(at stage: ReplyStage) -> Verdict {
        decided ?? Verdict(Self.undecided(at: stage))
    }

    // MARK: - Statuses (§2.2, §2.3, §2.6, §1.5)

    /// Strength when combining; higher wins: discard > reject > temporary-failure > continue >
    /// skip > accept. So `accept` reaches the MTA only when every child accepted.
    static func precedence(of status: MilterStatus) -> Int {
        switch status {
        case .discard: return 6
        case .reject: return 5
        case .temporaryFailure: return 4
        case .continue: return 3
        case .skip: return 2
        case .accept: return 1
        }
    }

    /// The answer when no child decided anything (every child skipped the event, was stopped or
    /// left): `continue` at the broadcast stages, so the transaction goes on; `accept` at the
    /// message stages, where no child is left to look at the message.
    static func undecided(at stage: ReplyStage) -> MilterStatus {
        switch stage {
        case .broadcast: return .continue
        case .message: return .accept
        }
    }

    /// The answer when no child can take a command ("All milters are no longer alive.", "None
    /// of milters are processing message."): the negotiation's fallback when every child was
    /// expired there, else `manager.fallback_status`. Exactly one reply (RECOMMEND §2.3).
    static func withoutChildren(expired: MilterStatus?, fallback: MilterStatus) -> MilterStatus {
        expired ?? fallback
    }

    /// What a child's verdict counts as in the combined one (§2.6): an evaluation-mode child's
    /// reject, temporary failure or discard counts as accept (its own outcome stays the real one).
    static func counted(_ verdict: Verdict, evaluationMode: Bool) -> Verdict {
        evaluationMode && verdict.status.isRefusal ? Verdict(.accept) : verdict
    }

    /// What a child counts as when it fails (error, timeout, violation, lost connection) while it
    /// owes a reply (§2.9, RECOMMEND): a reply equal to its fallback status, also in evaluation
    /// mode (the fallback is the administrator's own choice for that child).
    static func failed(fallback: MilterStatus) -> Verdict {
        Verdict(fallback)
    }

    /// What a child stopped by an applicable condition counts as (§2.8): accept at connect and
    /// helo; continue at envelope-from and envelope-recipient (the child skips the message or the
    /// recipient); accept at DATA (RECOMMEND: like an accept reply in the broadcast) and at the
    /// message stages (the next child takes over).
    static func stopped(at stage: ReplyStage) -> Verdict {
        switch stage {
        case .broadcast(.connect), .broadcast(.helo), .broadcast(.data), .message: return Verdict(.accept)
        case .broadcast(.envelopeFrom), .broadcast(.envelopeRecipient), .broadcast(.unknown): return Verdict(.continue)
        }
    }

    /// After negotiation (§1.5 step 7): the strongest fallback of the children that failed it;
    /// when it refuses, every child is expired and every later command is answered with it.
    static func sessionExpiry(negotiationFailures: ReplyMerger) -> MilterStatus? {
        guard let strongest = negotiationFailures.decided?.status, strongest.isRefusal else { return nil }
        return strongest
    }

    // MARK: - Replies at the broadcast stages (§1.3, §2.3, §2.4)

    /// What a child's reply means at a broadcast stage.
    enum BroadcastReply: Hashable {
        /// A verdict (`c a r t d y`).
        case verdict(Verdict)
        /// The child gave up (`f`, `4`: RECOMMEND, a failure) or broke the protocol; the text
        /// says which for the log.
        case failure(String)
    }

    /// The replies a broadcast stage allows: the verdicts, but `discard` not at connect or helo.
    static func meaning(of reply: MilterReply, at stage: ReplyStage.Broadcast) -> BroadcastReply {
        switch reply {
        case .continue: return .verdict(Verdict(.continue))
        case .accept: return .verdict(Verdict(.accept))
        case .reject: return .verdict(Verdict(.reject))
        case .temporaryFailure: return .verdict(Verdict(.temporaryFailure))
        case .replyCode(let code): return .verdict(Verdict(replyCode: code))
        case .discard:
            switch stage {
            case .connect, .helo:
                return .failure("[invalid-state][discard][\(stage.code.stageName)] discard is not allowed here")
            case .envelopeFrom, .envelopeRecipient, .data, .unknown:
                return .verdict(Verdict(.discard))
            }
        case .connectionFailure, .shutdown:
            return .failure(gaveUp(reply))
        case .negotiate, .skip, .progress, .quarantine, .setSymbolList, .modification:
            return .failure("[state][invalid][\(stage.code.stageName)] \(reply.code.character) should not be sent here")
        }
    }

    /// What a child's own verdict at a broadcast stage does to that child.
    enum ChildEffect: Hashable {
        /// Nothing: it goes on.
        case none
        /// `continue` at RCPT: the recipient counts for the child.
        case acceptsRecipient
        /// A refusal at RCPT: for this recipient only; the child stays in the message (§2.4).
        case refusesRecipient
        /// It leaves the current message and is back for the next one.
        case leavesMessage
        /// It is sent QUIT: out for the rest of the session.
        case leavesSession
    }

    /// §2.3's table: at connect and helo any verdict but continue takes the child out of the
    /// session; at envelope-from and DATA out of the message; at RCPT an accept takes it out of
    /// the message and a refusal counts for that recipient only; `unknown` changes nothing.
    static func effect(of status: MilterStatus, at stage: ReplyStage.Broadcast) -> ChildEffect {
        switch (stage, status) {
        case (.envelopeRecipient, .continue): return .acceptsRecipient
        case (_, .continue), (.unknown, _): return .none
        case (.connect, _), (.helo, _): return .leavesSession
        case (.envelopeRecipient, .accept): return .leavesMessage
        case (.envelopeRecipient, _): return .refusesRecipient
        case (.envelopeFrom, _), (.data, _): return .leavesMessage
        }
    }

    /// Whether the combined answer of a broadcast stage aborts the message for every child:
    /// reject and temporary failure do (not at RCPT, where they are per recipient), discard
    /// always does.
    static func abortsMessage(after status: MilterStatus, at stage: ReplyStage.Broadcast) -> Bool {
        switch status {
        case .discard: return true
        case .reject, .temporaryFailure: return stage != .envelopeRecipient
        case .continue, .accept, .skip: return false
        }
    }

    /// Whether a child takes part in the message at DATA or the first message command: not when
    /// it refused (or was stopped for) every recipient (§2.4); it is sent ABORT instead.
    static func takesMessage(acceptedRecipients: Int) -> Bool {
        acceptedRecipients > 0
    }

    // MARK: - Replies at the message stages (§2.3, §2.9)

    /// What a child's reply means at a message stage.
    enum MessageReply: Hashable {
        /// A verdict (`c a r t d y`, and `s` in a body chunk).
        case verdict(Verdict)
        /// `p` at end-of-message: forwarded at once; the child's timer restarts.
        case progress
        /// `q` at end-of-message.
        case quarantine(MilterString)
        /// A change of the message at end-of-message.
        case modification(MessageModification)
        /// The child gave up or broke the protocol; the text says which for the log.
        case failure(String)
    }

    /// The replies a message stage allows: the verdicts; `skip` only for a body chunk; progress,
    /// quarantine and changes only at end-of-message.
    static func meaning(of reply: MilterReply, at stage: ReplyStage.Message) -> MessageReply {
        let name = stage.code.stageName
        switch reply {
        case .continue: return .verdict(Verdict(.continue))
        case .accept: return .verdict(Verdict(.accept))
        case .reject: return .verdict(Verdict(.reject))
        case .temporaryFailure: return .verdict(Verdict(.temporaryFailure))
        case .discard: return .verdict(Verdict(.discard))
        case .replyCode(let code): return .verdict(Verdict(replyCode: code))
        case .skip:
            guard stage == .body else {
                return .failure("[state][invalid][\(name)] skip is only allowed for a body chunk")
            }
            return .verdict(Verdict(.skip))
        case .progress:
            guard stage == .endOfMessage else {
                return .failure("[state][invalid][\(name)] progress is only allowed at end-of-message")
            }
            return .progress
        case .quarantine(let reason):
            guard stage == .endOfMessage else {
                return .failure("[state][invalid][\(name)] quarantine is only allowed at end-of-message")
            }
            return .quarantine(reason)
        case .modification(let modification):
            guard stage == .endOfMessage else {
                return .failure(
                    "[state][invalid][\(name)] \(modification.code.character) is only allowed at end-of-message")
            }
            return .modification(modification)
        case .connectionFailure, .shutdown:
            return .failure(gaveUp(reply))
        case .negotiate, .setSymbolList:
            return .failure("[state][invalid][\(name)] \(reply.code.character) should not be sent here")
        }
    }

    /// Where the message goes after the head child's verdict.
    enum MessageStep: Hashable {
        /// The head child gets the next piece of the message.
        case nextItem
        /// The head child gets no more body chunks; end-of-message still follows.
        case skipsBody
        /// The head child is done; its verdict (as counted) is merged; the next child is replayed
        /// the message.
        case leaves(Verdict)
        /// The MTA gets this verdict now and every child is aborted: later children never see
        /// the message.
        case refuses(Verdict)
    }

    /// The message column of §2.3: continue moves on (and finishes the child at end-of-message),
    /// accept finishes it, skip skips the rest of its body, a refusal answers the MTA at once
    /// (an evaluation-mode child's refusal finishes it, counted as accept).
    static func step(after verdict: Verdict, at stage: ReplyStage.Message, evaluationMode: Bool) -> MessageStep {
        switch verdict.status {
        case .continue: return stage == .endOfMessage ? .leaves(verdict) : .nextItem
        case .skip: return .skipsBody
        case .accept: return .leaves(verdict)
        case .reject, .temporaryFailure, .discard:
            return evaluationMode ? .leaves(counted(verdict, evaluationMode: true)) : .refuses(verdict)
        }
    }

    /// §2.9 (RECOMMEND) at a message stage: a failed head child is a reply equal to its fallback
    /// (accept: the next child; a refusal: the final answer and every child aborted).
    static func step(afterFailureWithFallback fallback: MilterStatus) -> MessageStep {
        let verdict = failed(fallback: fallback)
        return verdict.status.isRefusal ? .refuses(verdict) : .leaves(verdict)
    }

    // MARK: - End-of-message changes (§2.5, §2.6)

    /// What becomes of a change (or quarantine) a child sent at end-of-message.
    enum ChangeFate: Hashable {
        /// Merged into the working message.
        case merged
        /// Ignored: the child is in evaluation mode (its header changes are still logged).
        case ignoredInEvaluationMode
        /// Dropped with a warning: the child did not negotiate `action` or the MTA did not
        /// grant it to the manager.
        case notGranted(ActionFlags)
    }

    /// Whether a change reaches the working message: never from an evaluation-mode child, and
    /// only when both the child and the MTA's grant to the manager have its action.
    static func fate(
        of reply: MilterReply, evaluationMode: Bool, childActions: ActionFlags, grantedActions: ActionFlags?
    ) -> ChangeFate {
        if evaluationMode { return .ignoredInEvaluationMode }
        guard let required = reply.requiredAction else { return .merged }
        guard childActions.contains(required), grantedActions?.contains(required) == true else {
            return .notGranted(required)
        }
        return .merged
    }

    /// Merges a granted change into the working message: headers in place (add before the first
    /// same-name header, insert at a position, change or delete the n-th same-name header); the
    /// last sender change wins; recipient changes keep their arrival order; `b` chunks collect as
    /// the child's new body. `fixLeadingSpace`: see `valueFromChild`.
    static func merge(_ modification: MessageModification, into message: inout WorkingMessage, fixLeadingSpace: Bool) {
        switch modification {
        case .addHeader(let name, let value):
            message.headers.add(name: name, value: valueFromChild(value, fix: fixLeadingSpace))
        case .insertHeader(let position, let name, let value):
            message.headers.insert(at: position, name: name, value: valueFromChild(value, fix: fixLeadingSpace))
        case .changeHeader(let position, let name, let value):
            message.headers.change(
                index: position, name: name, value: value.isEmpty ? value : valueFromChild(value, fix: fixLeadingSpace))
        case .changeFrom:
            message.changeFrom = modification
        case .addRecipient, .deleteRecipient:
            message.recipientChanges.append(modification)
        case .replaceBody(let chunk):
            if message.pendingBody == nil { message.pendingBody = BodySpool(settings: message.spool) }
            message.pendingBody?.append(chunk)
        }
    }

    /// The head child is done with the message: a body it sent becomes the message body, in
    /// `chunkSize` pieces (the last child that replaces the body wins).
    static func childFinished(_ message: inout WorkingMessage, chunkSize: Int) {
        guard let body = message.pendingBody else {
            // The next child is replayed the body in `manager.chunk_size` pieces (runtime.md
            // §2.1), whatever chunks the MTA sent: an MTA allowed bigger packets than a
            // child takes (libmilter closes the connection on one over 64 KiB) must not
            // make the replay fail.
            if message.body.largestChunk > chunkSize { message.body.rechunk(size: chunkSize) }
            return
        }
        message.pendingBody = nil
        body.rechunk(size: chunkSize)
        message.body = body
        message.bodyReplaced = true
    }

    /// The MTA's end-of-message answer, in this order: recipient changes (in arrival order), the
    /// replaced body (streamed from its spool by the I/O layer), the header differences from the
    /// MTA's headers, the sender change, the quarantine reason, then the verdict.
    static func endOfMessageAnswer(_ message: WorkingMessage, answer: Verdict) -> EndOfMessageAnswer {
        EndOfMessageAnswer(
            beforeBody: message.recipientChanges.map { MilterReply.modification($0) },
            body: message.bodyReplaced ? message.body : nil,
            afterBody: afterBodyReplies(message, answer: answer))
    }

    /// The part of the end-of-message answer after the body.
    private static func afterBodyReplies(_ message: WorkingMessage, answer: Verdict) -> [MilterReply] {
        var replies: [MilterReply] = []
        if let original = message.originalHeaders {
            replies += message.headers.modifications(from: original).map { .modification($0) }
        }
        if let changeFrom = message.changeFrom { replies.append(.modification(changeFrom)) }
        if let reason = message.quarantineReason { replies.append(.quarantine(reason: reason)) }
        replies.append(answer.reply)
        return replies
    }

    /// Leading-space normalisation: needed for a child when the manager negotiated
    /// `header-value-with-leading-space` with the MTA and the child did not.
    static func fixesLeadingSpace(granted: ProtocolFlags?, child: ProtocolFlags) -> Bool {
        (granted?.contains(.headerValueWithLeadingSpace) ?? false) && !child.contains(.headerValueWithLeadingSpace)
    }

    /// A header value as such a child is sent it: without one leading space.
    static func valueForChild(_ value: MilterString, fix: Bool) -> MilterString {
        guard fix, value.bytes.first == UInt8(ascii: " ") else { return value }
        return MilterString(bytes: value.bytes.dropFirst())
    }

    /// A header value from such a child's change: with a leading space, unless it has one.
    static func valueFromChild(_ value: MilterString, fix: Bool) -> MilterString {
        guard fix, value.bytes.first != UInt8(ascii: " ") else { return value }
        return MilterString(bytes: [UInt8(ascii: " ")] + value.bytes)
    }

    /// The log text of `f` and `4`.
    private static func gaveUp(_ reply: MilterReply) -> String {
        "[\(reply.code == .shutdown ? "shutdown" : "connection-failure")] the milter gave up"
    }
}
