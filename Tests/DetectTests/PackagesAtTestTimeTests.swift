import Foundation
import MilterTestSupport
import Testing

@testable import Detect

/// A Debian root built now from the packages the archive serves today (debian-root.sh), read
/// like the committed one: the same milters, sockets and states, and no warning. Cancelled
/// when the packages cannot be fetched (no network, no apt).
@Suite struct PackagesAtTestTimeTests {
    static let packages = ["spamass-milter", "opendkim", "opendmarc", "pyspf-milter"]

    @Test func freshlyFetchedDebianPackagesReadLikeTheFixture() throws {
        let script = Fixtures.rootsDirectory + "/debian-root.sh"
        let destination = FileManager.default.temporaryDirectory
            .appendingPathComponent("detect-debian-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: destination) }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/apt-get") else {
            try Test.cancel("apt-get is not installed")
        }
        let built = try Subprocess.capture("/bin/bash", [script, destination] + Self.packages)
        if built.status == 3 { try Test.cancel("the Debian packages cannot be fetched") }
        try #require(built.status == 0, "\(built.error)")

        let fresh = MilterDetector(root: destination).detect(platform: nil)
        let committed = Fixtures.detector("debian-12/packages").detect(platform: nil)
        #expect(fresh.platform == .debian)
        #expect(fresh.diagnostics.isEmpty)
        let expected = committed.milters.filter { Self.packages.contains($0.name) }
        #expect(fresh.milters.map(\.name) == expected.map(\.name))
        #expect(fresh.milters.map(\.connectionSpecText) == expected.map(\.connectionSpecText))
        #expect(fresh.milters.map(\.enabled) == expected.map(\.enabled))
        #expect(fresh.milters.map(\.command) == expected.map(\.command))
    }
}
