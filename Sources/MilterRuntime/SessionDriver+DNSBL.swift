import MilterProtocol
import NIOCore

extension SessionDriver {
    /// Looks the client up in the DNSBL services on this loop (never blocking it) and hands the
    /// verdict to the session; a session that ended meanwhile ignores it. Without a checker
    /// (cannot happen with a loaded configuration) the client is listed by no service.
    func checkDNSBL(_ address: ConnectAddress) {
        guard let dnsbl else {
            coordinator.dnsblChecked(DNSBLVerdict(listedBy: [], timedOut: [], timeoutResult: .notListed), for: address)
            return
        }
        let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
        // A failed future (none is made today) counts as no answer from any service.
        let unanswered = DNSBLVerdict(
            listedBy: [], timedOut: dnsbl.services.map(\.domain), timeoutResult: dnsbl.timeoutResult)
        dnsbl.check(client: address, on: eventLoop).whenComplete { result in
            let driver = loopBound.value
            guard !driver.finished else { return }
            driver.coordinator.dnsblChecked((try? result.get()) ?? unanswered, for: address)
            driver.run()
        }
    }
}
