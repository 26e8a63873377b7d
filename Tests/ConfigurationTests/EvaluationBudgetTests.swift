import Configuration
import Foundation
import Testing

/// Nested loops cannot make a load run for ever (found by ConfigurationFuzz, issue 9 class 2):
/// after `Evaluator.maximumStatementsRun` statements the load stops with an error at the
/// statement where it stopped, once.
@Suite struct EvaluationBudgetTests {
    static func load(_ text: String) -> ConfigurationLoadResult {
        ConfigurationLoader(root: "/nonexistent/mm-budget", loadPaths: [], platform: .debian, detector: nil)
            .load(text: text, file: "/etc/milter-manager/milter-manager.conf")
    }

    /// Ten milters and eight nested loops over them: 10^8 passes without the limit.
    @Test func nestedEachLoopsStopWithOneError() {
        var text = (1...10).map { "define_milter(\"m\($0)\") do |milter|\nend\n" }.joined()
        for level in 0..<8 { text += "defined_milters.each do |n\(level)|\n" }
        text += "  define_milter(n7) do |milter|\n    milter.enabled = true\n  end\n"
        text += String(repeating: "end\n", count: 8)
        let result = Self.load(text)
        let budget = result.errors.filter {
            if case .evaluationTooLong = $0.kind { return true }
            return false
        }
        #expect(budget.count == 1)
        #expect(budget.first?.kind == .evaluationTooLong(limit: 10_000))
        #expect(budget.first?.location.file == "/etc/milter-manager/milter-manager.conf")
        #expect((budget.first?.location.line ?? 0) > 20)
        #expect(budget.first?.hint?.contains("defined_milters.each") == true)
    }

    /// One loop over the milters is far below the limit.
    @Test func oneLoopOverTheMiltersRuns() {
        var text = (1...50).map { "define_milter(\"m\($0)\") do |milter|\nend\n" }.joined()
        text +=
            "defined_milters.each do |name|\n  define_milter(name) do |milter|\n    milter.enabled = false\n  end\nend\n"
        let result = Self.load(text)
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.configuration.milters.count == 50)
        #expect(result.configuration.milters.allSatisfy { !$0.enabled.value })
    }

    /// The input ConfigurationFuzz found (Tests/Fixtures/fuzz/README.md) loads to errors.
    @Test func theFuzzFindingLoadsToErrors() throws {
        let path = TestFiles.packageDirectory + "/Tests/Fixtures/fuzz/configuration-nested-each-timeout.conf"
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        let result = Self.load(text)
        #expect(!result.errors.isEmpty)
    }
}
