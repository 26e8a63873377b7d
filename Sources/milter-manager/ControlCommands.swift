import Configuration
import Logging
import MilterControl
import MilterRuntime
import MilterSupport

#if canImport(Glibc)
    import Glibc
#endif

/// What the daemon does for each request on the control socket.
struct ControlCommands: Sendable {
    /// Children whose last connection is older than this are checked before `status` and
    /// `children` answer.
    static let checkAfterSeconds = 2.0
    /// The longest such check of one child.
    static let checkTimeoutSeconds = 2.0

    let server: ManagerServer
    let board: DaemonStatusBoard
    let reloader: Reloader
    let sink: LogSink
    let launcher: LauncherConnection?
    let logger: Logger
    let now: @Sendable () -> UInt64

    /// The reply to `request`.
    func handle(_ request: ControlRequest) async -> ControlReply {
        switch request.command {
        case .status:
            await server.checkChildren(olderThan: Self.checkAfterSeconds, timeout: Self.checkTimeoutSeconds)
            return .success(status().json)
        case .children:
            await server.checkChildren(olderThan: Self.checkAfterSeconds, timeout: Self.checkTimeoutSeconds)
            return .success(.object([("children", .array(server.registry.health.snapshot().map(\.json)))]))
        case .reload:
            logger.info("[manager][reload] requested on the control socket")
            let outcome = await withCheckedContinuation { continuation in
                reloader.request { continuation.resume(returning: $0) }
            }
            switch outcome {
            case .inForce(let files, let note):
                return .success(
                    .object([
                        ("loaded", .bool(true)), ("files", .array(files.map(JSONValue.string))),
                        ("note", .optional(note)),
                    ]))
            case .notLoaded(let reason):
                return .failure(reason)
            case .stopping:
                return .failure("milter-manager is stopping; nothing was loaded")
            }
        case .reopenLogs:
            logger.info("[manager][log] reopening the log file (control socket)")
            if let error = sink.reopen() {
                return .failure("\(error.description); still writing to the file opened before")
            }
            return .success(.object([("reopened", .bool(true))]))
        }
    }

    /// The daemon's status now.
    func status() -> ManagerStatus {
        let (configuration, lastReload) = board.current
        let elapsed = now() >= board.startedAt ? Double(now() - board.startedAt) / 1e9 : 0
        let registry = server.registry
        return ManagerStatus(
            version: ProductVersion.number, pid: Int(getpid()), time: UTCTime.now(), uptimeSeconds: elapsed,
            sessionsInFlight: registry.inProgress, sessionsFinished: registry.finished,
            configuration: configuration, lastReload: lastReload,
            privilegeMode: server.currentConfiguration.privilegeMode, launcher: launcher?.status,
            children: registry.health.snapshot())
    }
}
