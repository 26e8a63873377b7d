import Foundation
import Logging
import MilterProtocol
import MilterRuntime
import MilterTestSupport
import NIOPosix

/// A manager in this process, on `manager.sock` in a test's directory, in front of real
/// libmilter test milters: the body-spool and manager-server tests start theirs here.
enum InProcessManager {
    /// Starts the test milters `milters` (name and options) in `directory`: their processes and
    /// their children, each with `fallback`.
    static func startMilters(_ milters: [(String, [String])], in directory: URL, fallback: MilterStatus) throws
        -> (processes: [Subprocess], children: [ResolvedChild])
    {
        var processes: [Subprocess] = []
        var children: [ResolvedChild] = []
        for (name, options) in milters {
            let (process, path) = try RealMilters.startTestMilter(in: directory, name: name, options: options)
            processes.append(process)
            let spec = ConnectionSpec.unix(path: path)
            children.append(
                ResolvedChild(
                    definition: ChildDefinition(name: name, connectionSpec: spec, fallbackStatus: fallback),
                    address: try spec.connectAddress()))
        }
        return (processes, children)
    }

    /// A started manager with `children` (and `session`, `maximumFrameLength`), and its socket.
    static func start(
        in directory: URL, children: [ResolvedChild], session: SessionSettings = SessionSettings(),
        maximumFrameLength: Int = MilterFrame.defaultMaximumLength
    ) async throws -> (server: ManagerServer, socketPath: String) {
        let socketPath = directory.appendingPathComponent("manager.sock").path
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let server = ManagerServer(
            group: MultiThreadedEventLoopGroup.singleton,
            configuration: RuntimeConfiguration(
                listenSpec: .unix(path: socketPath), children: children, session: session,
                maximumFrameLength: maximumFrameLength),
            logger: logger)
        try await server.start()
        return (server, socketPath)
    }
}
