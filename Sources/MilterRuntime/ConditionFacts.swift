import Configuration

/// What a condition can look at when a stage is evaluated: the stage's own arguments and the
/// session's state. The session provides its own conformance; `StageFacts` is a plain value.
public protocol ConditionFacts {
    /// The client's IP address text (nil for unix and unknown peers).
    var clientAddress: String? { get }
    /// The client's host name as given at connect.
    var clientHost: String? { get }
    /// The HELO/EHLO name, once given.
    var helo: String? { get }
    /// The envelope sender, once given (`<user@example.com>`).
    var sender: String? { get }
    /// The recipient being checked (at RCPT only).
    var recipient: String? { get }
    /// The header being checked (at the header stage only).
    var header: (name: String, value: String)? { get }
    /// A macro's value (name without braces), nil when absent.
    func macro(_ name: String) -> String?
    /// Whether the child `name` has the result so far (false for an unknown child).
    func child(_ name: String, has result: ChildResult) -> Bool
}

/// The facts as stored values (tests, and sessions that gather them in one place).
public struct StageFacts: ConditionFacts, Sendable {
    public var clientAddress: String?
    public var clientHost: String?
    public var helo: String?
    public var sender: String?
    public var recipient: String?
    public var header: (name: String, value: String)?
    /// Macros by name without braces.
    public var macros: [String: String]
    /// Each child's results so far.
    public var childResults: [String: Set<ChildResult>]

    /// Facts; everything unknown unless given.
    public init(
        clientAddress: String? = nil, clientHost: String? = nil, helo: String? = nil, sender: String? = nil,
        recipient: String? = nil, header: (name: String, value: String)? = nil, macros: [String: String] = [:],
        childResults: [String: Set<ChildResult>] = [:]
    ) {
        self.clientAddress = clientAddress
        self.clientHost = clientHost
        self.helo = helo
        self.sender = sender
        self.recipient = recipient
        self.header = header
        self.macros = macros
        self.childResults = childResults
    }

    public func macro(_ name: String) -> String? { macros[name] }

    public func child(_ name: String, has result: ChildResult) -> Bool {
        childResults[name]?.contains(result) ?? false
    }
}
