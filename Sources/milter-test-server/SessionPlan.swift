import MilterProtocol

/// Everything one session sends, fixed before the first connection (shared by every session of
/// a load run).
struct SessionPlan: Sendable {
    /// The protocol version offered (`--negotiate-version`).
    var version: UInt32
    /// The host name of the `C` command.
    var connectHost: MilterString
    /// The address of the `C` command.
    var connectAddress: ConnectAddress
    /// The `H` argument.
    var heloFQDN: MilterString
    /// The message.
    var message: MessageTemplate
    /// The macros per stage.
    var macros: MacroTable
    /// The `U` argument, when `--unknown` was given.
    var unknownCommand: MilterString?
    /// Messages sent on one connection before `Q` (Postfix sends one per connection by default).
    var messagesPerSession: Int = 1
    /// Whether the session keeps a changed copy of the message (for `--output-message`).
    var recordsMessage: Bool

    /// The negotiation offer: every action (0x1ff) and every step (0x1fffff) at `version`.
    var offer: Negotiation { Negotiation(version: version, actions: .all, steps: .all) }
}
