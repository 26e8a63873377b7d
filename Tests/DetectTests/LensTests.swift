import Foundation
import MilterTestSupport
import Testing

@testable import Detect

/// The project lenses pass augparse (typecheck and the tests in lenses/tests) and carry
/// module names that do not clash with stock ones.
@Suite struct LensTests {
    static let lensTests = ["test_greylist.aug", "test_milter_keyvalue.aug", "test_milter_shellvars.aug"]

    @Test(arguments: lensTests)
    func passesAugparse(_ test: String) throws {
        let augparse = "/usr/bin/augparse"
        try #require(FileManager.default.isExecutableFile(atPath: augparse), "augparse (augeas-tools) is missing")
        let lenses = Fixtures.dataDirectory.lensesPath
        let result = try Subprocess.capture(augparse, ["-I", lenses, lenses + "/tests/" + test])
        #expect(result.status == 0, "\(result.error)")
    }

    @Test(arguments: ["greylist.aug", "milter_keyvalue.aug", "milter_shellvars.aug"])
    func doesNotShadowAStockLens(_ lens: String) {
        #expect(!FileManager.default.fileExists(atPath: "/usr/share/augeas/lenses/dist/" + lens))
        #expect(FileManager.default.fileExists(atPath: Fixtures.dataDirectory.lensesPath + "/" + lens))
    }
}
