import MilterProtocol

/// A validated connection spec together with the spelling it was written in, so that
/// `local:/path` prints back as `local:/path` although `ConnectionSpec` reads it as unix.
public struct WrittenConnectionSpec: Hashable, Sendable, CustomStringConvertible {
    /// The parsed spec (what the runtime listens on or connects to).
    public var spec: ConnectionSpec
    /// The text as written (`local:/run/x.sock`, `inet:10025@[127.0.0.1]`).
    public var text: String

    /// Parses and keeps `text`.
    public init(parsing text: String) throws(ConnectionSpecError) {
        self.spec = try ConnectionSpec(parsing: text)
        self.text = text
    }

    /// A spec written in its canonical spelling.
    public init(_ spec: ConnectionSpec) {
        self.spec = spec
        self.text = spec.description
    }

    /// The text as written.
    public var description: String { text }
}
