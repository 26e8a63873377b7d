import Foundation
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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: augparse)
        process.arguments = ["-I", lenses, lenses + "/tests/" + test]
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let output = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(output)")
    }

    @Test(arguments: ["greylist.aug", "milter_keyvalue.aug", "milter_shellvars.aug"])
    func doesNotShadowAStockLens(_ lens: String) {
        #expect(!FileManager.default.fileExists(atPath: "/usr/share/augeas/lenses/dist/" + lens))
        #expect(FileManager.default.fileExists(atPath: Fixtures.dataDirectory.lensesPath + "/" + lens))
    }
}
