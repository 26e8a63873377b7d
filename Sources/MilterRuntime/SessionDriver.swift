import Logging
import MilterProtocol
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// Runs one SMTP session: feeds the MTA's commands and the children's replies into the
/// `SessionCoordinator` and carries out its actions on the event loop of the MTA connection.
/// Every child connection of the session lives on the same loop, so nothing here needs a lock.
final class SessionDriver {
    let eventLoop: EventLoop
    let mtaChannel: Channel
    let children: [ResolvedChild]
    let logger: Logger
    let registry: SessionRegistry
    let maximumFrameLength: Int
    let resolver: HostResolver
    let selfConnections: SelfConnectionGuard
    /// The DNSBL look-ups of the configuration (nil when no milter uses them).
    let dnsbl: DNSBLChecker?
    var coordinator: SessionCoordinator
    var childChannels: [Channel?]
    /// One reply deadline per child: re-arming it per command moves a date, it does not
    /// schedule and cancel a timer each time. The reason is the timer and whether it was the
    /// writing timeout.
    var childDeadlines: [LazyDeadline<(ReplyTimer, writing: Bool)>]
    /// Actions for a child that is still connecting are sent once it is up.
    var mtaIdle = LazyDeadline<Void>()
    let mtaIdleTimeout: TimeAmount
    /// What waits for the MTA connection while a replaced body is being written to it.
    var mtaOutput = MTAOutputQueue()
    var finished = false
    var running = false
    let tag: Int

    init(
        mtaChannel: Channel, configuration: RuntimeConfiguration, registry: SessionRegistry, logger: Logger,
        environment: SessionEnvironment, resolver: HostResolver, selfConnections: SelfConnectionGuard
    ) {
        self.eventLoop = mtaChannel.eventLoop
        self.mtaChannel = mtaChannel
        self.children = configuration.children
        self.registry = registry
        self.logger = logger
        self.maximumFrameLength = configuration.maximumFrameLength
        self.resolver = resolver
        self.selfConnections = selfConnections
        self.dnsbl = configuration.dnsbl
        let first = registry.allocateTags(configuration.children.count + 1)
        self.tag = first
        self.coordinator = SessionCoordinator(
            tag: first, children: configuration.children.map(\.definition),
            childTags: configuration.children.indices.map { first + 1 + $0 }, settings: configuration.session,
            environment: environment, scripts: configuration.luaStates?.state(for: mtaChannel.eventLoop))
        self.childChannels = Array(repeating: nil, count: configuration.children.count)
        self.childDeadlines = Array(repeating: LazyDeadline(), count: configuration.children.count)
        self.mtaIdleTimeout = .saturating(seconds: configuration.session.mtaIdleTimeout)
    }

    // MARK: - Events

    func mtaCommand(_ command: MilterCommand) {
        mtaIdle.disarm()
        coordinator.mtaCommand(command)
        run()
    }

    func mtaClosed() {
        coordinator.mtaClosed()
        run()
    }

    func mtaError(_ error: Error) {
        if let parseError = error as? MilterParseError {
            coordinator.mtaDecodeError(parseError)
        } else {
            logger.debug("[\(tag)] [client][error] \(error)")
            coordinator.mtaClosed()
        }
        run()
    }

    func childReply(_ index: Int, _ reply: MilterReply) {
        coordinator.childReply(index, reply)
        run()
    }

    func childClosed(_ index: Int) {
        childChannels[index] = nil
        coordinator.childClosed(index)
        run()
    }

    func childError(_ index: Int, _ error: Error) {
        let reason = error is MilterParseError ? "decode error: \(error)" : "\(error)"
        coordinator.childError(index, reason)
        run()
    }

    // MARK: - Actions

    /// Carries out every action the coordinator produced, including ones produced on the way.
    func run() {
        // Closing a channel can call back into the driver (channelInactive) while actions are
        // being carried out; the outer call picks up whatever the inner one produced.
        guard !running else { return }
        running = true
        defer { running = false }
        while true {
            let actions = coordinator.takeActions()
            if actions.isEmpty { break }
            for action in actions { perform(action) }
        }
        if inspect({ $0.isFinished }) { finish() }
    }

    /// Asks the coordinator something in place. A plain read of this class's stored struct
    /// copies it whole for the call (every array and string in it retained, then released:
    /// 4% of the manager's CPU under load, by perf); an inout access does not.
    private func inspect<Answer>(_ question: (inout SessionCoordinator) -> Answer) -> Answer {
        question(&coordinator)
    }

    private func perform(_ action: SessionAction) {
        switch action {
        case .connectChild(let index):
            connectChild(index)
        case .sendToChild(let index, let commands, let timer):
            sendToChild(index, commands, timer: timer)
        case .cancelChildTimer(let index):
            childDeadlines[index].disarm()
        case .restartChildTimer(let index, let timer):
            armTimer(index, timer, writing: false)
        case .closeChild(let index):
            childDeadlines[index].stop()
            if let channel = childChannels[index] {
                childChannels[index] = nil
                channel.close(promise: nil)
            }
        case .sendToMTA(let replies):
            var buffer = mtaChannel.allocator.buffer(capacity: 64)
            for reply in replies { reply.encode(into: &buffer) }
            if mtaOutput.isEmpty {
                mtaChannel.writeAndFlush(buffer, promise: nil)
                armMTAIdleTimer()
            } else {
                mtaOutput.append(.buffer(buffer))
            }
        case .sendBodyToMTA(let body):
            mtaOutput.append(.body(body, next: 0))
            mtaWritable()
        case .closeMTA:
            mtaChannel.close(promise: nil)
        case .log(let entry):
            switch entry.level {
            case .statistics: logger.notice("[statistics] \(entry.message)")
            case .error: logger.error("\(entry.message)")
            case .warning: logger.warning("\(entry.message)")
            case .info: logger.info("\(entry.message)")
            case .debug: logger.debug("\(entry.message)")
            }
        case .checkDNSBL(let address):
            checkDNSBL(address)
        }
    }

    /// The MTA connection can take more (or something was queued): writes queued body chunks
    /// while it is writable, so a big replaced body is never whole in memory.
    func mtaWritable() {
        var wrote = false
        while mtaChannel.isWritable, let write = mtaOutput.next(allocator: mtaChannel.allocator) {
            switch write {
            case .buffer(let buffer):
                mtaChannel.write(buffer, promise: nil)
                wrote = true
            case .failed(let error):
                // The spool file could not be read back: the MTA cannot get the body it was
                // promised, so the connection is closed (the MTA applies its own milter default).
                logger.error("[\(tag)] [body-spool][error] \(error); closing the MTA connection")
                mtaOutput = MTAOutputQueue()
                mtaChannel.close(promise: nil)
                return
            }
        }
        if wrote {
            mtaChannel.flush()
            armMTAIdleTimer()
        }
    }

    private func armMTAIdleTimer() {
        let deadline = eventLoop.now + mtaIdleTimeout
        if mtaIdle.arm(at: deadline, reason: ()) { scheduleMTAIdleCheck(at: deadline) }
    }

    /// The one scheduled task of the MTA idle deadline (see `LazyDeadline`).
    private func scheduleMTAIdleCheck(at date: NIODeadline) {
        let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
        let task = eventLoop.scheduleTask(deadline: date) {
            let driver = loopBound.value
            switch driver.mtaIdle.check(now: driver.eventLoop.now) {
            case .none:
                break
            case .later(let deadline):
                driver.scheduleMTAIdleCheck(at: deadline)
            case .expired:
                driver.coordinator.mtaIdleTimeout()
                driver.run()
            }
        }
        mtaIdle.scheduled(task, at: date)
    }

    /// Whether child `index` owes its end-of-message reply (its reply deadline is that one).
    func owesEndOfMessageReply(_ index: Int) -> Bool {
        childDeadlines[index].armedReason?.0 == .endOfMessage
    }

    private func armTimer(_ index: Int, _ timer: ReplyTimer, writing: Bool) {
        let definition = children[index].definition
        let seconds: Double
        if writing {
            seconds = definition.writingTimeout
        } else {
            switch timer {
            case .connection: seconds = definition.connectionTimeout
            case .reading: seconds = definition.readingTimeout
            case .endOfMessage: seconds = definition.endOfMessageTimeout
            }
        }
        let deadline = eventLoop.now + .saturating(seconds: seconds)
        if childDeadlines[index].arm(at: deadline, reason: (timer, writing: writing)) {
            scheduleDeadlineCheck(index, at: deadline)
        }
    }

    /// The one scheduled task of a child's deadline: at `date`, the child timed out if its
    /// deadline has passed; if the deadline moved later meanwhile, the check moves with it.
    private func scheduleDeadlineCheck(_ index: Int, at date: NIODeadline) {
        let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
        let task = eventLoop.scheduleTask(deadline: date) {
            let driver = loopBound.value
            switch driver.childDeadlines[index].check(now: driver.eventLoop.now) {
            case .none:
                break
            case .later(let deadline):
                driver.scheduleDeadlineCheck(index, at: deadline)
            case .expired(let reason):
                driver.coordinator.childTimeout(index, reason.0, writing: reason.writing)
                driver.run()
            }
        }
        childDeadlines[index].scheduled(task, at: date)
    }

    private func sendToChild(_ index: Int, _ commands: [MilterCommand], timer: ReplyTimer?) {
        guard let channel = childChannels[index] else { return }
        var buffer = channel.allocator.buffer(capacity: 128)
        for command in commands { command.encode(into: &buffer) }
        if timer == .endOfMessage && children[index].isTCP { ChildChannelHandler.setQuickAck(channel) }
        guard let timer else {
            channel.writeAndFlush(buffer, promise: nil)
            return
        }
        // A command that wants a reply is sent once the child has answered the one before,
        // which it had read whole: its socket holds nothing of ours (at most the few commands
        // it was sent without a reply due), and a write this small goes into the kernel's
        // buffer at once (there is no writing to time; a child that stops reading meets the
        // reply timer). Only a bigger one (body chunks) is timed by the writing timer until it
        // is flushed.
        if buffer.readableBytes <= Self.writeTimedAbove {
            armTimer(index, timer, writing: false)
            channel.writeAndFlush(buffer, promise: nil)
            return
        }
        // The writing timer runs until it is flushed, then the reply timer.
        armTimer(index, timer, writing: true)
        let promise = eventLoop.makePromise(of: Void.self)
        let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
        promise.futureResult.whenSuccess {
            let driver = loopBound.value
            // Still waiting for this child (no reply came back already)?
            if driver.childChannels[index] === channel, driver.childDeadlines[index].isArmed,
                driver.inspect({ $0.isAwaitingReply(from: index) })
            {
                driver.armTimer(index, timer, writing: false)
            }
        }
        channel.writeAndFlush(buffer, promise: promise)
    }

    /// Writes up to this size are not timed by the writing timer: it is the smallest send
    /// buffer Linux gives a TCP socket (`tcp_wmem`'s minimum); unix sockets have far more.
    static let writeTimedAbove = 4096

    private func connectChild(_ index: Int) {
        let child = children[index]
        switch child.target {
        case .address(let address):
            connectChild(index, to: address)
        case .hostName(let name, let port, let family):
            // Looked up on a thread pool, never on this loop; a name that does not resolve fails
            // this child like a refused connection (its fallback applies).
            let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
            resolver.address(of: name, port: port, family: family, on: eventLoop).hop(to: eventLoop).whenComplete {
                result in
                let driver = loopBound.value
                guard !driver.finished else { return }
                switch result {
                case .success(let address):
                    driver.connectChild(index, to: address)
                case .failure(let error):
                    let reason = (error as? AddressResolutionError).map { "cannot resolve \(name): \($0.reason)" }
                    driver.coordinator.childConnectFailed(index, reason: reason ?? "cannot resolve \(name): \(error)")
                    driver.run()
                }
            }
        }
    }

    private func connectChild(_ index: Int, to address: SocketAddress) {
        let child = children[index]
        let loopBound = NIOLoopBound(self, eventLoop: eventLoop)
        let maximum = maximumFrameLength
        let isTCP = child.isTCP
        let selfConnections = self.selfConnections
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(.saturating(seconds: child.definition.connectionTimeout))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ChildChannelHandler(
                            driver: loopBound.value, index: index, quickAck: isTCP, maximumFrameLength: maximum))
                }
            }
        let connection: EventLoopFuture<Channel>
        if let descriptor = Self.connectedUnixSocket(address) {
            connection = bootstrap.withConnectedSocket(descriptor)
        } else {
            connection = bootstrap.connect(to: address)
        }
        connection
            .whenComplete { result in
                let driver = loopBound.value
                switch result {
                case .success(let channel):
                    driver.registry.health.connected(child.definition.name)
                    if driver.finished {
                        channel.close(promise: nil)
                        return
                    }
                    driver.childChannels[index] = channel
                    if isTCP {
                        ChildChannelHandler.setQuickAck(channel)
                        selfConnections.register(channel, child: child.definition.name)
                    }
                    driver.coordinator.childConnected(index)
                case .failure(let error):
                    driver.registry.health.connectFailed(child.definition.name, reason: Self.describe(error))
                    driver.coordinator.childConnectFailed(index, reason: Self.describe(error))
                }
                driver.run()
            }
    }

    /// A unix socket connected at once by `connect(2)` itself, for the bootstrap to adopt: NIO's
    /// own connect asks the kernel for the socket's addresses five times and schedules a
    /// connect timeout, which a unix connect (done or refused at once) has no use for. Nil for a
    /// TCP address and for any failure (a full listen queue too): that child then goes NIO's way,
    /// which reports the failure as it always has.
    static func connectedUnixSocket(_ address: SocketAddress) -> CInt? {
        guard case .unixDomainSocket = address else { return nil }
        let type = Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue)
        let descriptor = socket(AF_UNIX, type, 0)
        guard descriptor >= 0 else { return nil }
        let result = address.withSockAddr { pointer, size in connect(descriptor, pointer, socklen_t(size)) }
        guard result == 0 else {
            close(descriptor)
            return nil
        }
        return descriptor
    }

    static func describe(_ error: Error) -> String {
        if let io = error as? IOError { return "\(io.description)" }
        if error is ChannelError, case ChannelError.connectTimeout = error { return "connection timeout" }
        return "\(error)"
    }

    /// The session is over: close what is left, count it.
    private func finish() {
        guard !finished else { return }
        finished = true
        mtaIdle.stop()
        for index in childDeadlines.indices { childDeadlines[index].stop() }
        for channel in childChannels { channel?.close(promise: nil) }
        childChannels = childChannels.map { _ in nil }
        let counts = registry.sessionFinished()
        logger.notice("[statistics] [sessions][finished] \(counts.processed)(+1) \(counts.inProgress)")
    }
}
