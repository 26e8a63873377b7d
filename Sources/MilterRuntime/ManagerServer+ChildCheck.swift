import NIOCore
import NIOPosix

extension ManagerServer {
    /// Connects to every enabled child whose last connection is older than `olderThan`
    /// seconds (or that was never tried) and closes at once, recording in `registry.health`
    /// whether it answered: what `status` shows is then at most that old. Such a check never
    /// starts a child (only a session's failed connection does). Each connection is bounded by
    /// `timeout` seconds (and by the child's own connection timeout).
    public func checkChildren(olderThan: Double, timeout: Double) async {
        let health = registry.health
        let stale = health.staleChildren(olderThan: olderThan)
        let children = currentConfiguration.children.filter { stale.contains($0.definition.name) }
        guard !children.isEmpty else { return }
        let loop = group.next()
        let resolver = self.resolver
        await withTaskGroup(of: Void.self) { tasks in
            for child in children {
                tasks.addTask {
                    let name = child.definition.name
                    let seconds = min(timeout, child.definition.connectionTimeout)
                    do {
                        let address: SocketAddress
                        switch child.target {
                        case .address(let fixed):
                            address = fixed
                        case .hostName(let host, let port, let family):
                            address = try await resolver.address(of: host, port: port, family: family, on: loop).get()
                        }
                        let channel = try await ClientBootstrap(group: loop)
                            .connectTimeout(.saturating(seconds: seconds))
                            .connect(to: address).get()
                        try? await channel.close()
                        health.connected(name)
                    } catch {
                        let reason = (error as? AddressResolutionError).map { "cannot resolve: \($0.reason)" }
                        health.connectFailed(name, reason: reason ?? SessionDriver.describe(error), mayStart: false)
                    }
                }
            }
        }
    }
}
