import Foundation
import MilterControl
import MilterTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// The bench's control socket and `milter-manager-ctl`, and what the tests read about the
/// processes the daemon runs (their users, their parents) from /proc.
extension DaemonBench {
    /// `controller.connection_spec` of the bench (beside the manager's socket).
    var controlSpec: String {
        "unix:" + URL(fileURLWithPath: socket).deletingLastPathComponent().appendingPathComponent("control.sock").path
    }

    /// Runs `milter-manager-ctl TARGET ARGUMENTS`; TARGET is `--connection-spec` of the bench
    /// unless given.
    func ctl(_ arguments: [String], target: [String]? = nil) throws -> (status: Int32, output: String, error: String) {
        try Subprocess.capture(
            try TestPaths.product("milter-manager-ctl").path,
            (target ?? ["--connection-spec", controlSpec]) + arguments)
    }

    /// `milter-manager-ctl status --json`, parsed.
    func status() throws -> JSONValue {
        let result = try ctl(["status", "--json"])
        guard result.status == 0 else { throw TestSupportError("status exited \(result.status): \(result.error)") }
        return try JSONParser.parse(result.output.trimmingCharacters(in: .newlines))
    }

    /// The child named `name` in `status --json`.
    func child(_ name: String) throws -> JSONValue {
        let children = try status()["children"]?.arrayValue ?? []
        guard let child = children.first(where: { $0["name"]?.stringValue == name }) else {
            throw TestSupportError("no child \(name) in the status")
        }
        return child
    }

    /// The real, effective, saved and file-system user ids of `pid` (/proc/PID/status), nil
    /// when it is gone.
    static func userIDs(_ pid: Int32) -> [UInt32]? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Uid:") })
        else { return nil }
        return line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().compactMap { UInt32($0) }
    }

    /// The processes whose parent is `pid`.
    static func children(of pid: Int32) -> [Int32] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap(Int32.init).filter { candidate in
            guard let text = try? String(contentsOfFile: "/proc/\(candidate)/stat", encoding: .utf8),
                let close = text.lastIndex(of: ")")
            else { return false }
            // After "pid (comm)": state, then the parent's pid.
            let fields = text[text.index(after: close)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == pid
        }
    }

    /// True when something accepts connections on the unix socket `path`.
    static func connectable(_ path: String) -> Bool {
        let descriptor = connect(path)
        guard descriptor >= 0 else { return false }
        close(descriptor)
        return true
    }

    /// True while a process `pid` exists (a zombie counts until it is reaped).
    static func exists(_ pid: Int32) -> Bool { kill(pid, 0) == 0 || errno == EPERM }
}
