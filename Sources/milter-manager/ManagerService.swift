import Logging
import MilterRuntime
import UnixSignals

/// The running proxy and its signals: SIGHUP asks for a reload (carried out on its own thread),
/// SIGUSR1 reopens the log, the first SIGTERM or SIGINT stops accepting and lets sessions in
/// flight finish (bounded), a second one stops at once (runtime.md §3.1 step 12).
struct ManagerService {
    /// How serving ended.
    enum Ending: Equatable {
        /// Graceful shutdown finished.
        case graceful
        /// A second stop signal came during the graceful shutdown.
        case immediate(UnixSignal)
    }

    let server: ManagerServer
    let logger: Logger
    let sink: LogSink
    let reloader: Reloader
    /// The trapped signals, created before the daemon says it is ready: a signal that comes
    /// right after start-up waits here instead of killing the process with its default action.
    let signals: UnixSignalsSequence
    /// The control socket, closed first when stopping.
    var control: ControlServer?
    /// Seconds sessions in flight get to finish after the first stop signal.
    var grace = 30.0

    /// The signals the service handles.
    static func trapSignals() async -> UnixSignalsSequence {
        await UnixSignalsSequence(trapping: .sighup, .sigusr1, .sigterm, .sigint)
    }

    /// Serves until a stop signal; returns how it ended.
    func run() async -> Ending {
        let signals = self.signals
        let (stopRequests, requestStop) = AsyncStream<Void>.makeStream()
        let server = self.server
        let logger = self.logger
        let sink = self.sink
        let reloader = self.reloader
        let grace = self.grace
        let control = self.control
        return await withTaskGroup(of: Ending?.self) { group in
            group.addTask {
                var stopping = false
                for await signal in signals {
                    switch signal {
                    case .sighup:
                        logger.info("[manager][reload] SIGHUP")
                        reloader.request()
                    case .sigusr1:
                        sink.reopen()
                    default:
                        if stopping {
                            logger.warning("[manager][stop] \(signal) again: stopping at once")
                            return .immediate(signal)
                        }
                        stopping = true
                        requestStop.yield()
                    }
                }
                return nil
            }
            group.addTask {
                for await _ in stopRequests { break }
                guard !Task.isCancelled else { return nil }
                logger.info("[manager][stop] shutting down")
                reloader.stop()
                await control?.shutdown()
                await server.shutdown(grace: grace)
                return .graceful
            }
            var ending: Ending?
            while ending == nil, let next = await group.next() {
                ending = next
            }
            requestStop.finish()
            group.cancelAll()
            return ending ?? .graceful
        }
    }
}
