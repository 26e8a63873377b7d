import Logging
import MilterSupport
import NIOConcurrencyHelpers
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// Whether the listening socket accepts. It pauses when too many sessions are in progress
/// (`manager.max_connections`) or when accept() fails for want of descriptors or memory
/// (EMFILE, ENFILE, ENOBUFS, ENOMEM: the socket stays readable and NIO would retry at once, at
/// 100 % CPU). A paused gate looks again every `suspend_time_on_unacceptable` seconds (at least
/// `RuntimeConfiguration.minimumSuspendTime`) and whenever a session ends, so that even a huge
/// configured pause never keeps it closed once there is room. Pausing turns autoRead off, which
/// takes the socket out of the event loop's interest set.
final class AcceptGate: Sendable {
    private struct State {
        var channel: Channel?
        var paused = false
    }

    private let state = NIOLockedValueBox(State())
    private let logger: Logger
    private let registry: SessionRegistry
    private let configuration: @Sendable () -> RuntimeConfiguration
    private let warnings = LogRateLimiter(intervalSeconds: 60, now: { NIODeadline.now().uptimeNanoseconds })

    /// A gate for the sessions in `registry`, with the configuration new sessions use.
    init(logger: Logger, registry: SessionRegistry, configuration: @escaping @Sendable () -> RuntimeConfiguration) {
        self.logger = logger
        self.registry = registry
        self.configuration = configuration
    }

    /// The listening channel (nil when it is closed: the gate does nothing any more).
    func attach(_ channel: Channel?) {
        state.withLockedValue { $0.channel = channel }
    }

    /// A session was accepted: pause when that makes too many.
    func sessionAccepted() {
        let config = configuration()
        guard config.maxConnections > 0, registry.inProgress >= config.maxConnections else { return }
        let (admitted, suppressed) = warnings.admit("max_connections")
        if admitted {
            let held = suppressed > 0 ? " (\(suppressed) more since the last report)" : ""
            let message =
                "[client][accept][suspend] too many processing connection: \(registry.inProgress), max: "
                + "\(config.maxConnections); suspend accepting connection in \(Self.seconds(config.suspendTime)) seconds"
            logger.warning("\(message)\(held)")
        }
        pause()
    }

    /// accept() failed: true when it was for want of resources (accepting pauses), false for
    /// other errors (a connection aborted before it was accepted: nothing to do).
    func acceptFailed(_ error: IOError) -> Bool {
        switch error.errnoCode {
        case EMFILE, ENFILE, ENOBUFS, ENOMEM:
            let (admitted, suppressed) = warnings.admit("accept")
            if admitted {
                let held = suppressed > 0 ? " (\(suppressed) more since the last report)" : ""
                let reason = String(cString: strerror(error.errnoCode))
                let seconds = Self.seconds(configuration().suspendTime)
                logger.error(
                    "[client][accept][suspend] cannot accept a connection: \(reason); suspend accepting connection in \(seconds) seconds\(held)"
                )
            }
            pause()
            return true
        default:
            return false
        }
    }

    /// A session ended: there may be room (and a free descriptor) again.
    func sessionEnded() {
        guard let channel = state.withLockedValue({ $0.paused ? $0.channel : nil }) else { return }
        channel.eventLoop.execute { self.recheck() }
    }

    private func pause() {
        guard
            let channel = state.withLockedValue({ state -> Channel? in
                guard !state.paused, let channel = state.channel else { return nil }
                state.paused = true
                return channel
            })
        else { return }
        channel.eventLoop.execute {
            try? channel.syncOptions?.setOption(.autoRead, value: false)
            self.scheduleRecheck(channel)
        }
    }

    private func scheduleRecheck(_ channel: Channel) {
        channel.eventLoop.scheduleTask(in: configuration().suspendTime) { self.recheck() }
    }

    /// On the listening channel's loop: resume when there is room, else look again later.
    private func recheck() {
        guard let channel = state.withLockedValue({ $0.paused ? $0.channel : nil }) else { return }
        let config = configuration()
        if config.maxConnections > 0, registry.inProgress >= config.maxConnections {
            scheduleRecheck(channel)
            return
        }
        state.withLockedValue { $0.paused = false }
        logger.info("[client][accept][resume] resume accepting connection")
        try? channel.syncOptions?.setOption(.autoRead, value: true)
    }

    private static func seconds(_ amount: TimeAmount) -> String {
        CFormat.g(Double(amount.nanoseconds) / 1e9)
    }
}
