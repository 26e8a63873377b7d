import MilterProtocol

/// A child milter whose socket is the manager's own would make the manager connect to itself
/// for every session until it runs out of connections (issue 9, class 11): refused at load.
///
/// Decided from the specs alone (no name resolution): the same unix path (`//` and `.`
/// folded), or the same port where the child's host is the manager's listening address or,
/// when the manager listens on every address, any loopback spelling (`@localhost`,
/// `@[127.0.0.1]`, `@[::1]`, no host).
extension ManagerConfiguration {
    /// One error per enabled milter that reaches the manager's own socket, at the place its
    /// connection spec was set.
    public func selfConnectionErrors() -> [ConfigurationError] {
        let manager = self.manager.connectionSpec.value.spec
        return enabledMilters.compactMap { milter in
            guard let child = milter.connectionSpec.value, Self.reaches(child.spec, listener: manager) else {
                return nil
            }
            let location: SourceLocation
            switch milter.connectionSpec.provenance {
            case .file(let at): location = at
            case .detected(let at?): location = at
            case .detected(nil), .default, .commandLine: location = SourceLocation(file: "(command line)", line: 0)
            }
            return ConfigurationError(
                .milterIsTheManager(milter: milter.name, spec: child.text), at: location)
        }
    }

    /// Whether connecting to `child` reaches a manager listening on `listener`.
    static func reaches(_ child: ConnectionSpec, listener: ConnectionSpec) -> Bool {
        switch (child, listener) {
        case (.unix(let a), .unix(let b)):
            return PathComponents.normalize(a) == PathComponents.normalize(b)
        case (.inet(let port, let host), .inet(let listenPort, let listenHost)),
            (.inet6(let port, let host), .inet6(let listenPort, let listenHost)),
            (.inet(let port, let host), .inet6(let listenPort, let listenHost)),
            (.inet6(let port, let host), .inet(let listenPort, let listenHost)):
            guard port == listenPort, port != 0 else { return false }
            let childHost = Self.hostText(host)
            let listening = Self.hostText(listenHost)
            if let listening, !Self.wildcards.contains(listening) {
                return childHost == listening || (Self.loopbacks.contains(listening) && childHost == "localhost")
            }
            return childHost == nil || Self.loopbacks.contains(childHost!)
        case (.unix, .inet), (.unix, .inet6), (.inet, .unix), (.inet6, .unix):
            return false
        }
    }

    private static let wildcards: Set<String> = ["0.0.0.0", "::"]
    private static let loopbacks: Set<String> = ["localhost", "127.0.0.1", "::1", "0.0.0.0", "::"]

    private static func hostText(_ host: ConnectionSpec.Host?) -> String? {
        switch host {
        case .none: return nil
        case .name(let name): return name.lowercased()
        case .address(let address): return address.lowercased()
        }
    }
}
