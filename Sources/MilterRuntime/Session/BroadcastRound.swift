import MilterProtocol

/// A broadcast command in flight (runtime.md §2.1): sent to every eligible child at once; the MTA
/// gets one combined answer when the last child answered, failed or was stopped.
struct BroadcastRound {
    /// The stage.
    let stage: ReplyStage.Broadcast
    /// The MTA's command, as the children get it.
    let command: MilterCommand
    /// How far the MTA's envelope is once this command is answered (unless the answer ends the
    /// transaction).
    let envelope: Transaction.Envelope
    /// A message command waiting for an emulated DATA (runtime.md §2.7): processed when the
    /// children continue, else answered with DATA's answer.
    let held: MessageFlight.Input?
    /// The children's verdicts so far.
    var merger = ReplyMerger()
    /// Children that still owe an answer (those waiting for the DNSBL verdict included).
    var pending = 0
    /// Children waiting for the session's DNSBL verdict, with the position of the condition to
    /// go on from.
    var dnsblWaits: [(child: Int, next: Int)] = []
}
