import Configuration
import MilterControl
import MilterSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The launcher process (`milter-manager --launcher`, started by the daemon while it is still
/// root, before it drops its privileges): the one process that stays root, and it does nothing
/// but start child milters. It reads the configuration itself with the daemon's options and,
/// when the daemon names an enabled milter, runs that milter's configured command (see
/// `LaunchPlan`), at most one at a time per milter and not twice within a second. It exits
/// when the daemon closes its end of the socket pair (the daemon stopped); the milters it
/// started keep running. It never writes to the daemon's log: every event goes to the daemon,
/// which logs it and shows it in the status.
struct Launcher {
    /// The shortest time between two starts of one milter, whatever the daemon asks.
    static let minimumInterval = 1.0
    /// The environment of every command.
    static let environment = ["PATH=" + LaunchPlan.searchPath.joined(separator: ":"), "HOME=/", "LANG=C"]

    let options: ManagerOptions

    /// One command running or whose output is still read.
    private struct Running {
        var id: Int
        var milter: String
        var process: CommandProcess
        var ended = false
    }

    /// Runs until the daemon goes away; returns the exit status.
    func run() -> Int32 {
        let channel = LauncherProtocol.descriptor
        var info = stat()
        guard fstat(channel, &info) == 0, info.st_mode & S_IFMT == S_IFSOCK else {
            StandardStream.error.writeLine(
                "milter-manager: --launcher is started by the daemon itself; do not run it by hand")
            return 64
        }
        Self.closeOtherDescriptors()
        // The daemon decides when the launcher ends (by closing the socket); signals for the
        // daemon's process group (a terminal's ^C, systemd's stop) leave it to the daemon.
        for signal in [SIGHUP, SIGINT, SIGTERM, SIGUSR1, SIGUSR2, SIGPIPE] { Glibc.signal(signal, SIG_IGN) }
        var catalog = LauncherCatalog.load(options)
        var connection = LineConnection(descriptor: channel, maximumLine: LauncherProtocol.maximumRequestLength)
        connection.send(LauncherEvent.ready(pid: Int(getpid()), problem: catalog.problem).line)
        var running: [Running] = []
        var lastStart: [String: Double] = [:]
        var reloadPending: Int?
        var lastReload = Self.monotonicSeconds()
        while true {
            var descriptors = [pollfd(fd: channel, events: Int16(POLLIN), revents: 0)]
            for entry in running where entry.process.output >= 0 {
                descriptors.append(pollfd(fd: entry.process.output, events: Int16(POLLIN), revents: 0))
            }
            _ = poll(&descriptors, nfds_t(descriptors.count), 200)
            for entry in running { entry.process.readOutput() }
            running = reap(running, connection: &connection)
            if reloadPending != nil, Self.monotonicSeconds() - lastReload >= Self.minimumInterval {
                catalog = LauncherCatalog.load(options)
                lastReload = Self.monotonicSeconds()
                connection.send(LauncherEvent.reloaded(id: reloadPending!, problem: catalog.problem).line)
                reloadPending = nil
            }
            guard descriptors[0].revents != 0 else { continue }
            guard let lines = connection.receive() else { return 0 }
            for line in lines {
                switch LauncherRequest(line: line) {
                case .none:
                    continue
                case .reload(let id):
                    reloadPending = id
                case .start(let id, let milter):
                    let now = Self.monotonicSeconds()
                    if let refusal = refusal(
                        milter, catalog: catalog, running: running, lastStart: lastStart[milter], now: now)
                    {
                        connection.send(LauncherEvent.refused(id: id, milter: milter, reason: refusal).line)
                        continue
                    }
                    lastStart[milter] = now
                    let entry = catalog.entries[milter]!
                    switch start(entry) {
                    case .failure(let refusal):
                        connection.send(LauncherEvent.refused(id: id, milter: milter, reason: refusal.reason).line)
                    case .success(let (process, plan)):
                        running.append(Running(id: id, milter: milter, process: process))
                        let user = (plan.user ?? "root") + (plan.note.map { " (\($0))" } ?? "")
                        connection.send(
                            LauncherEvent.running(
                                id: id, milter: milter, pid: Int(process.pid), command: plan.commandLine, user: user
                            ).line)
                    }
                }
            }
        }
    }

    private func refusal(
        _ milter: String, catalog: LauncherCatalog, running: [Running], lastStart: Double?, now: Double
    ) -> String? {
        if let problem = catalog.problem { return problem }
        guard catalog.entries[milter] != nil else {
            return "no enabled milter \(JSONValue.string(milter).text) with a command in the configuration"
        }
        if let current = running.first(where: { $0.milter == milter && !$0.ended }) {
            return "its command is still running (pid \(current.process.pid))"
        }
        if let lastStart, now - lastStart < Self.minimumInterval { return "started less than a second ago" }
        return nil
    }

    /// Why a start was refused, for the daemon.
    struct Refusal: Error {
        var reason: String
    }

    private func start(_ entry: LauncherCatalog.Entry) -> Result<(CommandProcess, LaunchPlan), Refusal> {
        var info = stat()
        let planned = LaunchPlan.make(
            command: entry.command, options: entry.options, userName: entry.userName,
            isSystemdHost: stat("/run/systemd/system", &info) == 0 && info.st_mode & S_IFMT == S_IFDIR,
            isExecutable: { access($0, X_OK) == 0 })
        let plan: LaunchPlan
        switch planned {
        case .failure(let problem): return .failure(Refusal(reason: problem.description))
        case .success(let made): plan = made
        }
        if let problem = RootOnlyPath.problem(plan.arguments[0]) {
            return .failure(
                Refusal(reason: "\(problem): the launcher runs only programs that nobody but root can change"))
        }
        var account: CommandProcess.Account?
        if let user = plan.user {
            switch CommandProcess.account(named: user) {
            case .failure(let failure): return .failure(Refusal(reason: failure.description))
            case .success(let found): account = found
            }
        }
        switch CommandProcess.start(plan.arguments, environment: Self.environment, as: account) {
        case .failure(let failure): return .failure(Refusal(reason: failure.description))
        case .success(let process): return .success((process, plan))
        }
    }

    /// Reaps the commands that exited and reports each; keeps reading the output of those
    /// whose pipe is still open (a daemon the command left behind may hold it), within bounds.
    private func reap(_ running: [Running], connection: inout LineConnection) -> [Running] {
        var kept: [Running] = []
        for var entry in running {
            if !entry.ended {
                var status: Int32 = 0
                let reaped = waitpid(entry.process.pid, &status, WNOHANG)
                if reaped == entry.process.pid {
                    entry.ended = true
                    entry.process.readOutput()
                    let signal = status & 0x7f
                    let exitStatus = (status >> 8) & 0xff
                    let result =
                        signal != 0
                        ? "ended by signal \(signal) (\(String(cString: strsignal(signal))))"
                        : "exited with status \(exitStatus)"
                    connection.send(
                        LauncherEvent.ended(
                            id: entry.id, milter: entry.milter, result: result,
                            succeeded: signal == 0 && exitStatus == 0,
                            output: entry.process.outputText
                        ).line)
                }
            }
            if entry.ended && entry.process.output < 0 { continue }
            kept.append(entry)
        }
        // Output of ended commands is drained for at most 32 of them; older pipes are closed.
        let draining = kept.indices.filter { kept[$0].ended }
        for index in draining.dropLast(32) { kept[index].process.closeOutput() }
        return kept.filter { !($0.ended && $0.process.output < 0) }
    }

    /// Closes every descriptor but 0, 1, 2 and the socket: nothing of the daemon's (the
    /// readiness pipe of --daemon, a supervisor's descriptors) stays open here.
    private static func closeOtherDescriptors() {
        var descriptors: [Int32] = []
        if let directory = opendir("/proc/self/fd") {
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                if let descriptor = Int32(name) { descriptors.append(descriptor) }
            }
            closedir(directory)
        } else {
            descriptors = Array(4..<1024)
        }
        for descriptor in descriptors where descriptor > LauncherProtocol.descriptor { close(descriptor) }
    }

    static func monotonicSeconds() -> Double { Double(ConfigurationRehearsal.monotonicNow()) / 1e9 }
}
