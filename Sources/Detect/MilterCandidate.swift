/// One milter a platform looks for.
public struct MilterCandidate: Hashable, Sendable {
    /// The service (script or unit) name, which is also the milter's name.
    public var name: String
    /// Which milter-specific reader applies.
    var application: MilterApplication
    /// The applicable conditions the platform assigns, in order.
    public var applicableConditions: [String]
    /// Variables naming the socket that only this milter uses (amavisd-milter's
    /// `MILTERSOCKET`), tried after the service manager's own sources.
    var socketVariables: [String]

    init(_ name: String, _ application: MilterApplication, _ conditions: ConditionSet, socketVariables: [String] = []) {
        self.name = name
        self.application = application
        self.applicableConditions = conditions.names
        self.socketVariables = socketVariables
    }

    /// The condition sets of the platform tables.
    enum ConditionSet: Hashable, Sendable {
        /// G: what milter-greylist gets.
        case greylist
        /// R: remote, unauthenticated senders while the server is not stressed.
        case remote
        /// No condition.
        case none

        /// The condition names, in order.
        var names: [String] {
            switch self {
            case .greylist:
                return ["Sendmail Compatible", "Stress Notify", "Trust", "Remote Network", "S25R", "Unauthenticated"]
            case .remote: return ["Remote Network", "Unauthenticated", "No Stress"]
            case .none: return []
            }
        }
    }
}
