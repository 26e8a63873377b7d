import Configuration
import Foundation
import Testing

@testable import Detect

/// Where lenses/ and templates/ are found, and what happens without them.
@Suite struct DataDirectoryTests {
    @Test func triesEnvironmentThenInstallationThenCheckout() {
        let candidates = DataDirectory.candidates(
            environment: ["MILTER_MANAGER_DATA_DIR": "/opt/mm/share"],
            executablePath: "/usr/local/bin/milter-manager-config",
            sourceFile: "/src/milter-manager/Sources/Detect/DataDirectory.swift")
        #expect(candidates == ["/opt/mm/share", "/usr/local/bin/../share/milter-manager", "/src/milter-manager"])
    }

    @Test func resolvesToTheFirstDirectoryWithLenses() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("detect-data-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory + "/lenses", withIntermediateDirectories: true)
        let configured = DataDirectory.resolve(
            environment: ["MILTER_MANAGER_DATA_DIR": directory], executablePath: "/nonexistent/bin/x")
        #expect(configured?.lensesPath == directory + "/lenses")
        // A configured directory without lenses/ or templates/ is skipped: the checkout is found.
        let fallback = DataDirectory.resolve(
            environment: ["MILTER_MANAGER_DATA_DIR": "/nonexistent"], executablePath: "/nonexistent/bin/x")
        #expect(fallback?.path == Fixtures.packageDirectory)
        #expect(fallback?.templatesPath == Fixtures.packageDirectory + "/templates")
    }

    @Test func missingLensesAreReportedAndServiceManagersStillRead() {
        let detector = MilterDetector(
            root: Fixtures.root("redhat-6/install-guide"), dataDirectory: DataDirectory(path: "/nonexistent"))
        let report = detector.detect(platform: nil)
        #expect(report.milters.map(\.name) == ["milter-greylist", "clamav-milter", "spamass-milter"])
        // The init script's own default socket is still found for spamass-milter.
        #expect(report.milters.last?.connectionSpecText == "unix:/var/run/spamass.sock")
        let errors = report.diagnostics.filter { $0.severity == .error }.map(\.message)
        #expect(errors.contains { $0.contains("lens Greylist unavailable") })
        #expect(errors.contains { $0.contains("lens Milter_Shellvars unavailable") })
    }

    @Test func noDataDirectoryIsAnError() {
        let detector = MilterDetector(root: Fixtures.root("redhat-6/install-guide"), dataDirectory: nil)
        let report = detector.detect(platform: nil)
        #expect(report.diagnostics.first?.severity == .error)
        #expect(report.diagnostics.first?.message.hasPrefix("data directory not found") == true)
    }

    @Test func unreadableRootThrows() {
        let detector = MilterDetector(root: "/nonexistent/root", dataDirectory: Fixtures.dataDirectory)
        #expect(throws: DetectionError.rootNotReadable("/nonexistent/root")) { try detector.run(platform: nil) }
        #expect(detector.detect(platform: .redhat).diagnostics.map(\.severity) == [.error])
    }
}
