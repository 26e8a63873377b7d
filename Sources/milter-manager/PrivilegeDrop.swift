import Configuration
import MilterProtocol
import MilterSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The user and group the daemon becomes when started as root (runtime.md §3.1 step 9), as
/// the original does: whatever `security.privilege_mode` says.
struct Account: Sendable, Equatable {
    /// The user's name (as configured, or the name of a numeric id).
    var name: String
    var uid: uid_t
    var gid: gid_t
}

/// Why the daemon cannot take the account it is configured to run as.
struct AccountError: Error, CustomStringConvertible {
    /// `FILE:LINE: unknown user "x" (security.effective_user)` or the option's form.
    var description: String
}

/// Choosing the account and switching to it.
enum PrivilegeDrop {
    /// The account for `security`: the configured user (a name or a numeric id) and group, or
    /// the platform default user; when that default is not configured anywhere and does not
    /// exist, `nobody`, with a warning that says how to create it. A user or group that is
    /// configured but does not exist is an error naming where it was set.
    static func account(for security: SecuritySettings) -> Result<(Account, warning: String?), AccountError> {
        let userSetting = security.effectiveUser
        var warning: String?
        let user: (name: String, uid: uid_t, gid: gid_t)
        if let name = userSetting.value, let found = lookUpUser(name) {
            user = found
        } else if let name = userSetting.value, userSetting.provenance != .default {
            return .failure(AccountError(description: unknown("user", name, at: userSetting.provenance)))
        } else {
            guard let nobody = lookUpUser("nobody") else {
                return .failure(
                    AccountError(description: "neither the user \"\(userSetting.value ?? "nobody")\" nor nobody exists")
                )
            }
            user = nobody
            if let name = userSetting.value {
                warning =
                    "the default user \"\(name)\" does not exist; running as nobody. Create it "
                    + "(useradd --system --no-create-home --shell /usr/sbin/nologin \(name)) or set "
                    + "security.effective_user"
            }
        }
        var gid = user.gid
        let groupSetting = security.effectiveGroup
        if let group = groupSetting.value {
            if let found = lookUpGroup(group) {
                gid = found
            } else if groupSetting.provenance != .default {
                return .failure(AccountError(description: unknown("group", group, at: groupSetting.provenance)))
            } else {
                let note = "the default group \"\(group)\" does not exist; using \(user.name)'s own group"
                warning = warning.map { $0 + "; " + note } ?? note
            }
        }
        return .success((Account(name: user.name, uid: user.uid, gid: gid), warning))
    }

    private static func unknown(_ kind: String, _ name: String, at provenance: Provenance) -> String {
        let key = kind == "user" ? "security.effective_user" : "security.effective_group"
        switch provenance {
        case .file(let location): return "\(location.file):\(location.line): unknown \(kind) \"\(name)\" (\(key))"
        case .commandLine:
            return "unknown \(kind) \"\(name)\" given with --\(kind == "user" ? "user-name" : "group-name")"
        case .detected, .default: return "unknown \(kind) \"\(name)\" (\(key))"
        }
    }

    /// A user by name, or by numeric id when the name is all digits.
    static func lookUpUser(_ name: String) -> (name: String, uid: uid_t, gid: gid_t)? {
        if let entry = getpwnam(name) {
            return (name, entry.pointee.pw_uid, entry.pointee.pw_gid)
        }
        guard !name.isEmpty, name.allSatisfy(\.isASCII), name.allSatisfy(\.isNumber), let id = uid_t(name) else {
            return nil
        }
        guard let entry = getpwuid(id) else { return nil }
        return (String(cString: entry.pointee.pw_name), id, entry.pointee.pw_gid)
    }

    /// A group by name, or by numeric id when the name is all digits.
    static func lookUpGroup(_ name: String) -> gid_t? {
        if let entry = getgrnam(name) { return entry.pointee.gr_gid }
        guard !name.isEmpty, name.allSatisfy(\.isASCII), name.allSatisfy(\.isNumber), let id = gid_t(name) else {
            return nil
        }
        return getgrgid(id) == nil ? nil : id
    }

    /// The name of milter manager's own run directories (`/run/milter-manager`,
    /// `/var/spool/postfix/milter-manager`): the only directories the daemon creates.
    static let runDirectoryName = "milter-manager"

    /// The directory of `path` when it is one of milter manager's own (named `milter-manager`),
    /// is missing and its parent exists: created (0755) and given to `account`, as systemd's
    /// RuntimeDirectory would (the PID file and the unix socket are written as the account
    /// after the switch). Any other missing directory is left for the error that follows. Nil
    /// on success or when nothing was to do; else what failed, with the errno of the call.
    static func prepareDirectory(of path: String, for account: Account) -> String? {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return nil }
        let directory = String(path[..<slash])
        guard directory.hasSuffix("/" + runDirectoryName) else { return nil }
        var info = stat()
        if lstat(directory, &info) == 0 { return nil }
        guard errno == ENOENT else {
            return "cannot look at \(directory): \(String(cString: strerror(errno)))"
        }
        guard mkdir(directory, 0o755) == 0 else {
            return "cannot create \(directory): \(String(cString: strerror(errno)))"
        }
        guard chown(directory, account.uid, account.gid) == 0 else {
            return "cannot give \(directory) to \(account.name): \(String(cString: strerror(errno)))"
        }
        return nil
    }

    /// Switches to `account` (only when root); the unix sockets (the main one, the control
    /// socket) are handed to it first so that it can remove them when it stops. Nil on
    /// success, else what failed.
    static func apply(_ account: Account, sockets: [ConnectionSpec]) -> String? {
        guard geteuid() == 0 else { return nil }
        for socket in sockets {
            if case .unix(let path) = socket, chown(path, account.uid, uid_t.max) != 0 {
                return "cannot hand the socket \(path) to \(account.name): \(String(cString: strerror(errno)))"
            }
        }
        guard account.uid != 0 else { return nil }
        if setgid(account.gid) != 0 { return "setgid(\(account.gid)) failed: \(String(cString: strerror(errno)))" }
        if initgroups(account.name, account.gid) != 0 {
            return "initgroups(\(account.name)) failed: \(String(cString: strerror(errno)))"
        }
        if setuid(account.uid) != 0 { return "setuid(\(account.uid)) failed: \(String(cString: strerror(errno)))" }
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
