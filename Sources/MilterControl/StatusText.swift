import MilterSupport

/// The person-readable form of `status` and `children` (`milter-manager-ctl` without
/// `--json`). Every value from the daemon is shown with its control characters escaped, so a
/// name or an error text cannot move the terminal's cursor or fake a line.
public enum StatusText {
    /// Every line of `status`.
    public static func render(_ status: ManagerStatus) -> String {
        var lines: [String] = []
        lines.append(
            "milter-manager \(text(status.version)), pid \(status.pid), up \(duration(status.uptimeSeconds))")
        let loaded =
            "loaded \(timestamp(status.configuration.loadedAt)) (\(ago(status.configuration.loadedAt, status)))"
        if status.configuration.files.isEmpty {
            lines.append("configuration: the built-in default, \(loaded)")
        } else {
            lines.append("configuration: \(loaded)")
            for file in status.configuration.files { lines.append("  \(text(file))") }
        }
        if let reload = status.lastReload {
            let reason = (reload.reason ?? "no reason given").split(separator: "\n").joined(separator: "; ")
            let outcome = reload.loaded ? "in force" : "not loaded: \(text(reason))"
            lines.append("last reload: \(timestamp(reload.at)) (\(ago(reload.at, status))): \(outcome)")
        }
        lines.append("sessions: \(status.sessionsInFlight) in flight, \(status.sessionsFinished) finished")
        lines.append("privilege mode: \(privilegeLine(status))")
        lines.append("children: \(status.children.isEmpty ? "none defined" : "")".trimmingTrailingSpace)
        lines += children(status.children, at: status.time).map { "  " + $0 }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The lines of `children` (two lines or more per child).
    public static func children(_ children: [ChildStatus], at now: Double) -> [String] {
        var lines: [String] = []
        for child in children {
            var state: String
            switch (child.enabled, child.reachable) {
            case (false, _): state = "disabled"
            case (true, nil): state = "enabled, not tried yet"
            case (true, true?): state = "enabled, reachable"
            case (true, false?): state = "enabled, unreachable"
            }
            if child.startedByManager { state += ", started by the manager" }
            lines.append("\(text(child.name)): \(state)")
            lines.append("  socket: \(child.connectionSpec.map(text) ?? "none")")
            if let success = child.lastSuccessAt { lines.append("  last success: \(ago(success, now))") }
            if let error = child.lastError {
                let when = child.lastErrorAt.map { " (\(ago($0, now)))" } ?? ""
                lines.append("  last error\(when): \(text(error))")
            }
            lines += startLines(child.start, now: now)
        }
        return lines
    }

    private static func startLines(_ start: ChildStartStatus, now: Double) -> [String] {
        guard let command = start.command else { return [] }
        var lines = ["  start command: \(text(command))"]
        if let reason = start.unavailable {
            lines.append("    not started by the manager: \(text(reason))")
            return lines
        }
        if let pid = start.runningPID {
            let since = start.runningSince.map { " since \(ago($0, now))" } ?? ""
            lines.append("    running (pid \(pid))\(since)")
        }
        if start.attempts > 0 || start.lastResult != nil {
            var summary = "    \(start.attempts) attempt\(start.attempts == 1 ? "" : "s")"
            if let last = start.lastAttemptAt { summary += ", the last \(ago(last, now))" }
            if let result = start.lastResult { summary += ": \(text(result))" }
            lines.append(summary)
        }
        if let next = start.nextAttemptInSeconds, start.runningPID == nil {
            lines.append(
                next > 0
                    ? "    next attempt: not before \(duration(next)) from now (back-off)"
                    : "    next attempt: at the next failed connection")
        }
        return lines
    }

    private static func privilegeLine(_ status: ManagerStatus) -> String {
        guard status.privilegeMode else {
            return status.launcher == nil ? "off" : "off (the launcher stays idle)"
        }
        guard let launcher = status.launcher else {
            return "on, but no launcher runs (privilege mode was off when the daemon started; restart it)"
        }
        var line =
            launcher.running ? "on, launcher pid \(launcher.pid)" : "on, the launcher (pid \(launcher.pid)) is gone"
        if let problem = launcher.problem { line += "; it starts nothing: \(text(problem))" }
        return line
    }

    /// `text` made printable.
    static func text(_ value: String) -> String { ControlCharacters.escaped(value) }

    /// `2026-12-04 10:11:12 UTC`.
    static func timestamp(_ seconds: Double) -> String {
        let iso = UTCTime.iso8601(seconds)
        return iso.dropLast().replacingFirst("T", with: " ") + " UTC"
    }

    static func ago(_ seconds: Double, _ status: ManagerStatus) -> String { ago(seconds, status.time) }

    static func ago(_ seconds: Double, _ now: Double) -> String {
        "\(duration(max(0, now - seconds))) ago"
    }

    /// `3d 4h`, `2h 3m`, `5m 7s`, `12s`, `0.4s`.
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        if seconds < 10 && seconds.rounded() != seconds {
            return "\((seconds * 10).rounded() / 10)s"
        }
        let total = Int(seconds.rounded())
        let (days, hours, minutes, rest) = (total / 86400, total / 3600 % 24, total / 60 % 60, total % 60)
        if days > 0 { return "\(days)d \(hours)h" }
        if hours > 0 { return "\(hours)h \(minutes)m" }
        if minutes > 0 { return "\(minutes)m \(rest)s" }
        return "\(rest)s"
    }
}

extension String {
    fileprivate var trimmingTrailingSpace: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}

extension Substring {
    fileprivate func replacingFirst(_ target: Character, with replacement: String) -> String {
        guard let found = firstIndex(of: target) else { return String(self) }
        return String(self[..<found]) + replacement + String(self[index(after: found)...])
    }
}
