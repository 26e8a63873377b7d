#if canImport(Glibc)
    import Glibc
#endif

/// A command the launcher started: its process, and the end of what it writes (standard
/// output and error share one pipe, read without blocking; only the last `tailLimit` bytes
/// are kept).
final class CommandProcess {
    /// The most output kept.
    static let tailLimit = 2048

    /// Why a command could not be started.
    struct StartFailure: Error, CustomStringConvertible {
        /// What failed (`setuid(1001): Operation not permitted`, `exec: No such file or directory`).
        var description: String
    }

    /// The account a command runs as.
    struct Account {
        var name: String
        var uid: uid_t
        var gid: gid_t
        var groups: [gid_t]
    }

    let pid: pid_t
    /// The read end of the output pipe; -1 once it is closed.
    private(set) var output: Int32
    private(set) var tail: [UInt8] = []

    private init(pid: pid_t, output: Int32) {
        self.pid = pid
        self.output = output
    }

    deinit { closeOutput() }

    /// The account of `name` with its groups, or why there is none.
    static func account(named name: String) -> Result<Account, StartFailure> {
        guard let entry = getpwnam(name) else { return .failure(StartFailure(description: "unknown user \(name)")) }
        let uid = entry.pointee.pw_uid
        let gid = entry.pointee.pw_gid
        var count: Int32 = 64
        var groups = [gid_t](repeating: 0, count: Int(count))
        while getgrouplist(name, gid, &groups, &count) < 0 {
            guard count < 65536 else { break }
            groups = [gid_t](repeating: 0, count: Int(count))
        }
        return .success(Account(name: name, uid: uid, gid: gid, groups: Array(groups.prefix(Int(max(count, 0))))))
    }

    /// Starts `arguments` (`arguments[0]` an absolute path) with `environment`, in its own
    /// session, in `/`, standard input from /dev/null, every signal at its default action and
    /// none blocked, as `account` (nil: this process's user). Only async-signal-safe calls
    /// run between fork and exec; a failure there (user switch, exec) is reported through a
    /// close-on-exec pipe.
    static func start(_ arguments: [String], environment: [String], as account: Account?) -> Result<
        CommandProcess, StartFailure
    > {
        func failure(_ what: String) -> Result<CommandProcess, StartFailure> {
            .failure(StartFailure(description: "\(what): \(String(cString: strerror(errno)))"))
        }
        // (pipe2 is not imported; the launcher has one thread, so nothing forks in between.)
        var outputPipe: [Int32] = [-1, -1]
        guard pipe(&outputPipe) == 0 else { return failure("pipe") }
        var errorPipe: [Int32] = [-1, -1]
        guard pipe(&errorPipe) == 0 else {
            close(outputPipe[0])
            close(outputPipe[1])
            return failure("pipe")
        }
        for descriptor in outputPipe + errorPipe { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer {
            if null >= 0 { close(null) }
            close(outputPipe[1])
            close(errorPipe[1])
        }
        guard null >= 0 else {
            close(outputPipe[0])
            close(errorPipe[0])
            return failure("/dev/null")
        }
        // Everything the child needs, allocated before fork.
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var groups = account?.groups ?? []
        let switchUser = account != nil
        let uid = account?.uid ?? 0
        let gid = account?.gid ?? 0
        let groupCount = groups.count
        let errorWrite = errorPipe[1]
        let outputWrite = outputPipe[1]
        var empty = sigset_t()
        sigemptyset(&empty)

        let pid = fork()
        if pid == 0 {
            // The child: report a failing step as (step, errno) and exit 127.
            func fail(_ step: Int32) -> Never {
                var record: (Int32, Int32) = (step, errno)
                _ = withUnsafeBytes(of: &record) { write(errorWrite, $0.baseAddress, $0.count) }
                _exit(127)
            }
            setsid()
            if dup2(null, 0) < 0 || dup2(outputWrite, 1) < 0 || dup2(outputWrite, 2) < 0 { fail(1) }
            if chdir("/") != 0 { fail(2) }
            for signal: Int32 in 1..<32 where signal != SIGKILL && signal != SIGSTOP {
                Glibc.signal(signal, SIG_DFL)
            }
            sigprocmask(SIG_SETMASK, &empty, nil)
            if switchUser {
                if groups.withUnsafeMutableBufferPointer({ setgroups(groupCount, $0.baseAddress) }) != 0 { fail(3) }
                if setgid(gid) != 0 { fail(4) }
                if setuid(uid) != 0 { fail(5) }
            }
            execve(argv[0]!, argv, envp)
            fail(6)
        }
        guard pid > 0 else {
            close(outputPipe[0])
            close(errorPipe[0])
            return failure("fork")
        }
        close(errorPipe[1])
        errorPipe[1] = -1
        // EOF at once: exec succeeded (the pipe closed on exec); else the child's report.
        var record: (Int32, Int32) = (0, 0)
        var got = 0
        while true {
            got = withUnsafeMutableBytes(of: &record) { read(errorPipe[0], $0.baseAddress, $0.count) }
            if got < 0 && errno == EINTR { continue }
            break
        }
        close(errorPipe[0])
        if got == MemoryLayout<(Int32, Int32)>.size {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            close(outputPipe[0])
            let steps = [
                1: "redirecting standard input and output", 2: "chdir /", 3: "setgroups",
                4: "setgid(\(gid))", 5: "setuid(\(uid))", 6: "exec \(arguments[0])",
            ]
            let step = steps[Int(record.0)] ?? "starting"
            return .failure(StartFailure(description: "\(step): \(String(cString: strerror(record.1)))"))
        }
        _ = fcntl(outputPipe[0], F_SETFL, fcntl(outputPipe[0], F_GETFL) | O_NONBLOCK)
        return .success(CommandProcess(pid: pid, output: outputPipe[0]))
    }

    /// Reads what is there without blocking; true when the pipe reached its end (closed then).
    @discardableResult
    func readOutput() -> Bool {
        guard output >= 0 else { return true }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
            if count > 0 {
                tail += buffer[0..<count]
                if tail.count > Self.tailLimit { tail.removeFirst(tail.count - Self.tailLimit) }
                continue
            }
            if count < 0 && errno == EINTR { continue }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return false }
            closeOutput()
            return true
        }
    }

    /// The kept output as text (invalid UTF-8 replaced).
    var outputText: String { String(decoding: tail, as: UTF8.self) }

    /// Stops reading (the command's later output is then lost to it: it gets EPIPE).
    func closeOutput() {
        if output >= 0 { close(output) }
        output = -1
    }
}
