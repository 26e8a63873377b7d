import Configuration

/// What one condition decided for one child at one stage (the input of the session's stop
/// handling, runtime.md §2.8).
public enum ConditionDecision: Hashable, Sendable {
    /// Apply the child: send it the command.
    case apply
    /// Do not apply it, for the scope.
    case stop(StopScope)
}
