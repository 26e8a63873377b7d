import Configuration
import Foundation
import MilterTestSupport
import Testing

@testable import MilterRuntime

/// The stress threshold from the Postfix under a root: Debian's own master.cf, one with a
/// process limit, and none.
@Suite struct PostfixProcessLimitTests {
    /// (master.cf, main.cf, threshold).
    static let cases: [(String?, String?, Int)] = [
        ("debian", nil, 75),
        ("debian", "default_process_limit = 40\ndefault_process_limit = 20\n", 15),
        ("smtp inet n - y - 7 smtpd\n", "default_process_limit = 40\n", 5),
        ("# smtp inet n - y - 7 smtpd\npickup unix n - y 60 1 pickup\n", nil, 0),
        (nil, "default_process_limit = 40\n", 0),
    ]

    @Test(arguments: cases)
    func thresholdIsThreeQuartersOfTheSMTPLimit(_ master: String?, _ main: String?, _ threshold: Int) throws {
        let root = try TestPaths.makeTemporaryDirectory("stress")
        defer { try? FileManager.default.removeItem(at: root) }
        let postfix = root.appendingPathComponent("etc/postfix")
        try FileManager.default.createDirectory(at: postfix, withIntermediateDirectories: true)
        if let master {
            let bytes =
                master == "debian"
                ? try Data(contentsOf: TestPaths.fixtures.appendingPathComponent("postfix/master.cf.debian"))
                : Data(master.utf8)
            try bytes.write(to: postfix.appendingPathComponent("master.cf"))
        }
        if let main { try Data(main.utf8).write(to: postfix.appendingPathComponent("main.cf")) }
        #expect(PostfixProcessLimit.stressThreshold(root: root.path) == threshold)
    }
}
