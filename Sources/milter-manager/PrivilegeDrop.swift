import MilterProtocol
import MilterSupport

#if canImport(Glibc)
    import Glibc
#endif

/// Switching to the configured user and group when started as root (runtime.md §3.1 step 9).
enum PrivilegeDrop {
    /// Returns nil on success (or when not root), else what went wrong. With no user
    /// configured the process becomes `nobody`, as the original does.
    static func apply(user: String?, group: String?, socket: ConnectionSpec) -> String? {
        guard geteuid() == 0 else { return nil }
        let userName = user ?? "nobody"
        guard let account = getpwnam(userName) else { return "unknown user \"\(userName)\"" }
        let uid = account.pointee.pw_uid
        var gid = account.pointee.pw_gid
        if let group {
            guard let entry = getgrnam(group) else { return "unknown group \"\(group)\"" }
            gid = entry.pointee.gr_gid
        }
        if case .unix(let path) = socket, chown(path, uid, uid_t.max) != 0 {
            return "cannot hand the socket \(path) to \(userName): \(String(cString: strerror(errno)))"
        }
        guard uid != 0 else { return nil }
        if setgid(gid) != 0 { return "setgid(\(gid)) failed: \(String(cString: strerror(errno)))" }
        if initgroups(userName, gid) != 0 {
            return "initgroups(\(userName)) failed: \(String(cString: strerror(errno)))"
        }
        if setuid(uid) != 0 { return "setuid(\(uid)) failed: \(String(cString: strerror(errno)))" }
        return nil
    }
}

/// `--daemon`: detach from the terminal, and let the parent exit only when the daemon is
/// listening (status 0) or has failed (status 1, message on standard error).
struct ReadinessPipe {
    enum Outcome {
        /// In the original process: exit with this status.
        case parent(Int32)
        /// In the daemon.
        case child(ReadinessPipe)
    }

    let descriptor: Int32

    /// Double fork, setsid, chdir /, umask 0, standard descriptors to /dev/null.
    static func daemonize() -> Outcome {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return .parent(1) }
        let first = fork()
        if first < 0 { return .parent(1) }
        if first > 0 {
            close(fds[1])
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 512)
            while true {
                let count = read(fds[0], &buffer, buffer.count)
                if count <= 0 { break }
                bytes += buffer[0..<count]
            }
            var status: Int32 = 0
            waitpid(first, &status, 0)
            let message = String(decoding: bytes, as: UTF8.self)
            if message == "ok" { return .parent(0) }
            StandardStream.error.writeLine(
                "milter-manager: " + (message.isEmpty ? "the daemon exited before it was ready" : message))
            return .parent(1)
        }
        close(fds[0])
        closeInheritedDescriptors(keeping: fds[1])
        setsid()
        if fork() > 0 { _exit(0) }
        chdir("/")
        umask(0)
        let null = open("/dev/null", O_RDWR)
        if null >= 0 {
            dup2(null, 0)
            dup2(null, 1)
            dup2(null, 2)
            if null > 2 { close(null) }
        }
        return .child(ReadinessPipe(descriptor: fds[1]))
    }

    /// Closes every descriptor above 2 that would survive an exec (no FD_CLOEXEC) other than
    /// `kept`: those came from whoever launched us (a shell's extra descriptors, a supervisor's
    /// exit-detection socket), and a daemon holding them keeps its launcher waiting. Descriptors
    /// this process opened itself are close-on-exec and stay.
    private static func closeInheritedDescriptors(keeping kept: Int32) {
        var candidates: [Int32] = []
        if let directory = opendir("/proc/self/fd") {
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                if let descriptor = Int32(name) { candidates.append(descriptor) }
            }
            closedir(directory)
        } else {
            candidates = Array(3..<1024)
        }
        for descriptor in candidates where descriptor > 2 && descriptor != kept {
            let flags = fcntl(descriptor, F_GETFD)
            if flags >= 0 && flags & FD_CLOEXEC == 0 { close(descriptor) }
        }
    }

    /// Tells the waiting parent: nil = ready, else the error.
    func report(_ error: String?) {
        try? DescriptorWriter.writeAll(error ?? "ok", to: descriptor)
        close(descriptor)
    }
}
