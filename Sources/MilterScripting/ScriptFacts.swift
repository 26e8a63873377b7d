/// What a Lua stopper's read-only `context` shows, asked only when the script reads it. A class
/// (the session keeps one and updates it), so that a call passes a reference and boxes nothing.
///
/// In Lua: `context.stage`, `context.name` (the milter), `context.authenticated`,
/// `context.sessions` (sessions in progress), `context.macros["auth_authen"]` (braces
/// optional), `context.children["spamass-milter"]` (that child's result so far: "accept",
/// "reject", "temporary_failure", "discard", "quitted", or nil).
public protocol ScriptFacts: AnyObject {
    /// The milter the condition is evaluated for.
    var milterName: String { get }
    /// Whether the session is SMTP-AUTH authenticated.
    var isAuthenticated: Bool { get }
    /// Sessions in progress in the manager.
    var sessionsInProgress: Int { get }
    /// A macro's value (name without braces), nil when absent.
    func macro(_ name: String) -> String?
    /// Another child's result so far, nil when it has none or is unknown.
    func childResult(_ name: String) -> String?
}

/// The arguments of a stage, passed to the Lua function after `context`.
public enum StageArguments {
    /// `connect(context, host, address)`.
    case connect(host: String, address: String)
    /// `helo(context, fqdn)`.
    case helo(String)
    /// `envelope_from(context, sender)`.
    case envelopeFrom(String)
    /// `envelope_recipient(context, recipient)`.
    case envelopeRecipient(String)
    /// `data(context)`.
    case data
    /// `header(context, name, value)`.
    case header(name: String, value: String)
    /// `end_of_header(context)`.
    case endOfHeader
    /// `body(context, chunk)` (bytes, as a Lua string).
    case body([UInt8])
    /// `end_of_message(context)`.
    case endOfMessage
}
