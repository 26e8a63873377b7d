import Configuration

/// What a child's applicable conditions decided before it is sent a stage's command.
enum Admission {
    /// Send it the command.
    case apply
    /// A condition stopped it for the scope.
    case stop(StopScope)
    /// A condition's script failed (an error, the instruction budget, the time or memory
    /// limit): the child's fallback applies for the session; the reason is logged.
    case fail(reason: String)
    /// The condition at position `next` needs the session's DNSBL verdict, which is being looked
    /// up: the child is admitted (from that condition on) when it arrives.
    case awaitDNSBL(next: Int)
}
