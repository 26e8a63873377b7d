extension ConfigurationError {
    /// The table problem, when the error is about a line of a Postfix lookup table.
    public var tableProblem: PostfixTableProblem? {
        if case .invalidTable(let problem) = kind { return problem }
        return nil
    }

    /// A table whose problems are all warnings still loads.
    public var isWarning: Bool { tableProblem?.isWarning ?? false }
}
