import Configuration
import Testing

/// The rules shown in docs/conditions.md load without errors, so that the migration table
/// never shows syntax that does not work.
@Suite struct ConditionDocumentationTests {
    /// Every `condition.stop_*`/`condition.continue_*` code span of the document that names no
    /// file.
    static let snippets: [String] = {
        guard let text = TestFiles.read(TestFiles.packageDirectory + "/docs/conditions.md") else { return [] }
        var snippets: [String] = []
        for line in text.split(separator: "\n") {
            let spans = line.split(separator: "`", omittingEmptySubsequences: false).enumerated()
                .filter { $0.offset % 2 == 1 }.map { String($0.element) }
            for span in spans
            where (span.hasPrefix("condition.stop_") || span.hasPrefix("condition.continue_"))
                && !span.contains("PATH") && !span.contains("...")
            {
                snippets.append(span.replacingBackslashPipes())
            }
        }
        return snippets
    }()

    @Test func theDocumentHasExamples() {
        #expect(Self.snippets.count >= 10)
    }

    @Test(arguments: snippets)
    func snippetLoads(_ snippet: String) {
        let text = "define_applicable_condition(\"Doc\") do |condition|\n  \(snippet)\nend\n"
        let result = ConfigurationLoader.inMemory(platform: .unknown).load(
            text: text, file: "/etc/milter-manager/milter-manager.conf")
        #expect(result.errors.isEmpty, "\(snippet): \(result.errors)")
    }
}

extension String {
    /// `\|` (a pipe escaped in a Markdown table) → `|`.
    fileprivate func replacingBackslashPipes() -> String {
        var output = ""
        var characters = self[...]
        while let character = characters.popFirst() {
            if character == "\\", characters.first == "|" { continue }
            output.append(character)
        }
        return output
    }
}
