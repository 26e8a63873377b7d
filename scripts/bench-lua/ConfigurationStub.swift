/// The one declaration of Configuration that MilterScripting needs besides ConditionStage.
public protocol ConditionScriptChecking: Sendable {
    func problems(in source: String, file: String) -> [(line: Int, message: String)]
}
