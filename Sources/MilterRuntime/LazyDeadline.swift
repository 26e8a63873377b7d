import NIOCore

/// A deadline checked by at most one scheduled task (a child's reply deadline, the MTA's idle
/// deadline): arming it again (every command) only moves the date unless the new date is
/// earlier than the task's, and disarming it leaves the task to find nothing to do. This keeps
/// the event loop's timer queue (and the timerfd behind it) out of the per-command path.
/// `Reason` says which timer it is (what expires).
struct LazyDeadline<Reason> {
    /// What a check finds.
    enum Check {
        /// Not armed: nothing to do.
        case none
        /// Armed for later: check again then.
        case later(NIODeadline)
        /// The deadline passed: this timer expired.
        case expired(Reason)
    }

    private var deadline: NIODeadline?
    private var reason: Reason?
    private var task: Scheduled<Void>?
    private var taskDate: NIODeadline?

    /// Whether a deadline is set.
    var isArmed: Bool { deadline != nil }

    /// Why the deadline is set, while it is.
    var armedReason: Reason? { deadline == nil ? nil : reason }

    /// Sets the deadline; true when a check must be scheduled at `date` (none is, or the one
    /// scheduled comes too late).
    mutating func arm(at date: NIODeadline, reason: Reason) -> Bool {
        deadline = date
        self.reason = reason
        if let taskDate, taskDate <= date { return false }
        task?.cancel()
        task = nil
        taskDate = nil
        return true
    }

    /// Records the check scheduled for `date`.
    mutating func scheduled(_ task: Scheduled<Void>, at date: NIODeadline) {
        self.task = task
        taskDate = date
    }

    /// No reply is awaited any more (the task, if any, will find nothing).
    mutating func disarm() {
        deadline = nil
    }

    /// The connection is over: the task is cancelled too.
    mutating func stop() {
        deadline = nil
        task?.cancel()
        task = nil
        taskDate = nil
    }

    /// The scheduled check ran at `now`.
    mutating func check(now: NIODeadline) -> Check {
        task = nil
        taskDate = nil
        guard let deadline, let reason else { return .none }
        if now < deadline { return .later(deadline) }
        self.deadline = nil
        return .expired(reason)
    }
}
