import Foundation
import MilterTestSupport
import Testing

/// Every file under Tests/Fixtures/scenarios/ runs against the session state machine with
/// scripted children; the file says what the MTA and each child must see.
@Suite("Proxy scenarios (Tests/Fixtures/scenarios)")
struct ScenarioTests {
    static let files: [String] = {
        let directory = TestPaths.fixtures.appendingPathComponent("scenarios")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".scenario") }.sorted()
    }()

    @Test func thereAreScenarios() {
        #expect(Self.files.count >= 30)
    }

    @Test("scenario", arguments: files)
    func scenario(_ name: String) throws {
        let url = TestPaths.fixtures.appendingPathComponent("scenarios/\(name)")
        let failures = try ScenarioRunner.run(file: url)
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}
