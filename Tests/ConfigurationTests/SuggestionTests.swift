import Configuration
import Testing

/// "did you mean" hints: close names are suggested, and a huge misspelt name (found by
/// fuzzing: every candidate used to be compared with it cell by cell) is reported without one.
@Suite struct SuggestionTests {
    static func firstError(_ text: String) -> ConfigurationError? {
        ConfigurationLoader(root: "/nonexistent/mm-suggestion", loadPaths: [], platform: .debian, detector: nil)
            .load(text: text, file: "/etc/milter-manager/milter-manager.conf").errors.first
    }

    @Test(arguments: [
        ("manager.conection_spec = \"inet:1\"\n", "did you mean \"manager.connection_spec\"?"),
        ("manager.connection_spek = \"inet:1\"\n", "did you mean \"manager.connection_spec\"?"),
        ("manager.zzzzzzzzzzzzzzzzzzzz = 1\n", "see `milter-manager --show-config` for every key"),
        ("manager.\(String(repeating: "a", count: 1 << 20)) = 1\n", "see `milter-manager --show-config` for every key"),
        ("manager.c = 1\n", "see `milter-manager --show-config` for every key"),
    ])
    func hints(_ text: String, _ hint: String) {
        let error = Self.firstError(text)
        #expect(error?.location.line == 1)
        #expect(error?.hint == hint)
    }
}
