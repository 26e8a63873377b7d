import Configuration
import Foundation
import Testing

@testable import Detect

/// Where templates/ are found; detection does without them.
@Suite struct DataDirectoryTests {
    @Test func triesEnvironmentThenInstallationThenCheckout() {
        let candidates = DataDirectory.candidates(
            environment: ["MILTER_MANAGER_DATA_DIR": "/opt/mm/share"],
            executablePath: "/usr/local/bin/milter-manager-config",
            sourceFile: "/src/milter-manager/Sources/Detect/DataDirectory.swift")
        #expect(candidates == ["/opt/mm/share", "/usr/local/bin/../share/milter-manager", "/src/milter-manager"])
    }

    @Test func resolvesToTheFirstDirectoryWithTemplates() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("detect-data-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory + "/templates", withIntermediateDirectories: true)
        let configured = DataDirectory.resolve(
            environment: ["MILTER_MANAGER_DATA_DIR": directory], executablePath: "/nonexistent/bin/x")
        #expect(configured?.templatesPath == directory + "/templates")
        // A configured directory without templates/ is skipped: the checkout is found.
        let fallback = DataDirectory.resolve(
            environment: ["MILTER_MANAGER_DATA_DIR": "/nonexistent"], executablePath: "/nonexistent/bin/x")
        #expect(fallback?.path == Fixtures.packageDirectory)
        #expect(fallback?.templatesPath == Fixtures.packageDirectory + "/templates")
    }

    /// Detection needs nothing from the data directory: its readers are built in.
    @Test func detectionNeedsNoDataDirectory() {
        let report = MilterDetector(root: Fixtures.root("redhat-6/install-guide"), dataDirectory: nil).detect(
            platform: nil)
        #expect(
            report.milters.map(\.connectionSpecText) == [
                "unix:/var/run/milter-greylist/milter-greylist.sock", "unix:/var/clamav/clmilter.socket",
                "inet:11120@[127.0.0.1]",
            ])
        #expect(report.diagnostics.isEmpty)
    }

    @Test func unreadableRootThrows() {
        let detector = MilterDetector(root: "/nonexistent/root", dataDirectory: Fixtures.dataDirectory)
        #expect(throws: DetectionError.rootNotReadable("/nonexistent/root")) { try detector.run(platform: nil) }
        #expect(detector.detect(platform: .redhat).diagnostics.map(\.severity) == [.error])
    }
}
